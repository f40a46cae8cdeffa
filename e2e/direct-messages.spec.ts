import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { newPerson, openChat, signUpAndSignIn, storedMessage } from "./support/chat";
import { conversationLink, heading, sendIn, startConversation } from "./support/conversations";

test("a direct message: started from the picker, it appears for the other person unread, and both talk live", async ({
  browser,
}) => {
  const alice = newPerson("Alice Ames");
  const bob = newPerson("Bob Burns");
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, alice);
  await signUpAndSignIn(contextB, bob);
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await openChat(a, "/");
  await openChat(b, "/");

  await test.step("Alice starts it from the picker; Bob sees nothing before a message", async () => {
    await startConversation(a, [bob]);
    await expect(heading(a, bob.name)).toBeVisible();
    await expect(conversationLink(a, bob.name)).toHaveAttribute("aria-current", "page");
    await expect(conversationLink(b, alice.name)).toHaveCount(0);
  });

  await test.step("Alice sends; Bob sees it appear under her name, in bold with a badge", async () => {
    await sendIn(a, bob.name, "Hi Bob, got a minute?");
    await expect(storedMessage(a, "Hi Bob, got a minute?")).toBeVisible();
    const link = conversationLink(b, alice.name);
    await expect(link).toBeVisible();
    await expect(link).toHaveAccessibleDescription("1 unread message");
    await expect(link).toHaveCSS("font-weight", "700");
  });

  await test.step("Bob opens it, reads, replies; Alice sees the reply live", async () => {
    await conversationLink(b, alice.name).click();
    await expect(heading(b, alice.name)).toBeVisible();
    await expect(storedMessage(b, "Hi Bob, got a minute?")).toBeVisible();
    await expect(conversationLink(b, alice.name)).toHaveAccessibleDescription("");
    await sendIn(b, alice.name, "Sure, what's up?");
    await expect(storedMessage(a, "Sure, what's up?")).toBeVisible();
    await expect(conversationLink(a, bob.name)).toHaveAccessibleDescription("");
  });

  await contextA.close();
  await contextB.close();
});

test("a group is found again from the picker whatever order its people are chosen in", async ({ browser, page }) => {
  const ann = newPerson("Ann Avery");
  const ben = newPerson("Ben Boyd");
  const cy = newPerson("Cy Cruz");
  for (const person of [ben, cy]) {
    const context = await browser.newContext();
    await signUpAndSignIn(context, person);
    await context.close();
  }
  await signUpAndSignIn(page.context(), ann);
  await openChat(page, "/");

  await startConversation(page, [ben, cy]);
  const groupUrl = page.url();
  await expect(heading(page, "Ben, Cy")).toBeVisible();
  await sendIn(page, "Ben, Cy", "Hello, both of you");
  await expect(storedMessage(page, "Hello, both of you")).toBeVisible();

  await conversationLink(page, "general").click();
  await expect(heading(page, "#general")).toBeVisible();
  await startConversation(page, [cy, ben]);
  expect(page.url()).toBe(groupUrl);
  await expect(storedMessage(page, "Hello, both of you")).toBeVisible();
  await expect(conversationLink(page, "Ben, Cy")).toHaveCount(1);
});

test("the picker works from the keyboard: arrows, Enter, Backspace and Escape", async ({ browser, context, page }) => {
  // A word only these two people's names share, so that a search finds exactly them, by name.
  const token = `Kw${randomUUID().slice(0, 6)}`;
  const eli = newPerson(`Eli ${token}`);
  const fay = newPerson(`Fay ${token}`);
  for (const person of [eli, fay]) {
    const other = await browser.newContext();
    await signUpAndSignIn(other, person);
    await other.close();
  }
  const dee = newPerson("Dee Dunn");
  await signUpAndSignIn(context, dee);
  await openChat(page, "/");

  const compose = page.getByRole("button", { name: "Compose message" });
  await compose.click();
  const dialog = page.getByRole("dialog", { name: "New message" });
  const field = dialog.getByRole("combobox", { name: "Find people by name or email" });
  const selected = dialog.getByRole("option", { selected: true });
  const chosen = dialog.getByRole("list", { name: "Chosen" });
  await expect(field).toBeFocused();

  await field.pressSequentially(token);
  await expect(dialog.getByRole("option")).toHaveCount(2);
  await expect(selected).toContainText(eli.name);
  await field.press("ArrowDown");
  await expect(selected).toContainText(fay.name);
  await field.press("ArrowDown");
  await expect(selected).toContainText(eli.name);
  await field.press("ArrowUp");
  await expect(selected).toContainText(fay.name);
  await field.press("Enter");
  await expect(chosen).toContainText(fay.name);
  await expect(field).toHaveValue("");

  await field.press("Backspace");
  await expect(chosen).toHaveCount(0);

  await field.press("Escape");
  await expect(dialog).toBeHidden();

  // Only yourself: your notepad.
  await compose.click();
  await expect(field).toBeFocused();
  await expect(chosen).toHaveCount(0);
  await field.fill(dee.email);
  await expect(selected).toContainText(`${dee.name} (you)`);
  await field.press("Enter");
  await expect(chosen).toContainText(`${dee.name} (you)`);
  await field.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(heading(page, `${dee.name} (you)`)).toBeVisible();
  await expect(conversationLink(page, `${dee.name} (you)`)).toHaveAttribute("aria-current", "page");
});
