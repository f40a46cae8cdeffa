import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  createChannel,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

/** Whether the keyboard's place is still in this message after an action on it (not reset to the page). */
async function focusIsIn(page: Page, message: Locator): Promise<boolean> {
  const inside = await message.evaluate((el) => el.contains(document.activeElement));
  const onBody = await page.evaluate(() => document.activeElement === document.body);
  return inside && !onBody;
}

test("a keyboard user keeps their place after editing or cancelling, and Escape backs out of a delete", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const carol = newPerson("Carol");
  await signUpAndSignIn(context, carol);
  const id = await createChannel(context.request, uniqueChannelName("keys"));
  await postMessage(context.request, id, "first");
  await postMessage(context.request, id, "second");
  const page = await context.newPage();
  await openChat(page, `/c/${id}`);

  await test.step("Enter saves an edit: focus stays with the message", async () => {
    const message = storedMessage(page, "second");
    await message.getByRole("button", { name: "Edit message" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("combobox", { name: "Edit message" })).toBeFocused();
    await page.keyboard.type(" (fixed)");
    await page.keyboard.press("Enter");
    const edited = storedMessage(page, "second (fixed)");
    await expect(edited).toContainText("(edited)");
    expect.soft(await focusIsIn(page, edited), "focus after saving").toBe(true);
  });

  await test.step("Escape cancels an edit: focus stays with the message", async () => {
    const message = storedMessage(page, "first");
    await message.getByRole("button", { name: "Edit message" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("combobox", { name: "Edit message" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("combobox", { name: "Edit message" })).toBeHidden();
    expect.soft(await focusIsIn(page, message), "focus after cancelling").toBe(true);
  });

  await test.step("Escape in the delete confirmation cancels it", async () => {
    const message = storedMessage(page, "first");
    await message.getByRole("button", { name: "Delete message" }).focus();
    await page.keyboard.press("Enter");
    const confirm = message.getByRole("group", { name: "Delete this message?" });
    await expect(confirm).toBeVisible();
    await page.keyboard.press("Escape");
    await expect.soft(confirm, "confirmation after Escape").toBeHidden({ timeout: 2000 });
  });
});
