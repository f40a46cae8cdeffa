import { expect, test } from "@playwright/test";
import { storedMessage, twoInAChannel, typeAndSend } from "./support/chat";

test("an edit and a delete show live to another person, and stay after a reload", async ({ browser }) => {
  const {
    pages: [a, b],
    channel,
    close,
  } = await twoInAChannel(browser, "edits");

  await typeAndSend(a, channel, "Lunch at noon?");
  await typeAndSend(a, channel, "Wrong channel, sorry");
  await expect(storedMessage(b, "Lunch at noon?")).toBeVisible();

  await test.step("Alice edits her message from its toolbar; Bob sees it change, marked edited", async () => {
    const message = storedMessage(a, "Lunch at noon?");
    await message.hover();
    await message.getByRole("button", { name: "Edit message" }).click();
    const box = a.getByRole("combobox", { name: "Edit message" });
    await expect(box).toBeFocused();
    await box.fill("Lunch at one?");
    await box.press("Enter");
    await expect(storedMessage(a, "Lunch at one?")).toContainText("(edited)");
    await expect(storedMessage(b, "Lunch at one?")).toContainText("(edited)");
    await expect(storedMessage(b, "Lunch at noon?")).toHaveCount(0);
  });

  await test.step("Escape cancels an edit and keeps the text", async () => {
    const message = storedMessage(a, "Lunch at one?");
    await message.hover();
    await message.getByRole("button", { name: "Edit message" }).click();
    const box = a.getByRole("combobox", { name: "Edit message" });
    await box.fill("never saved");
    await box.press("Escape");
    await expect(box).toBeHidden();
    await expect(storedMessage(a, "Lunch at one?")).toBeVisible();
  });

  await test.step("Up in Alice's empty composer edits her last message; saving gives the composer the focus back", async () => {
    const box = a.getByRole("combobox", { name: `Message #${channel}` });
    await box.click();
    await box.press("ArrowUp");
    const editor = a.getByRole("combobox", { name: "Edit message" });
    await expect(editor).toHaveValue("Wrong channel, sorry");
    await editor.fill("Wrong channel, sorry!");
    await editor.press("Enter");
    await expect(storedMessage(b, "Wrong channel, sorry!")).toContainText("(edited)");
    await expect(box).toBeFocused();
  });

  await test.step("Bob has no toolbar on Alice's messages", async () => {
    const message = storedMessage(b, "Lunch at one?");
    await message.hover();
    await expect(message.getByRole("button", { name: "Edit message" })).toHaveCount(0);
    await expect(message.getByRole("button", { name: "Delete message" })).toHaveCount(0);
  });

  await test.step("Alice deletes a message after confirming; both see a tombstone in its place", async () => {
    const message = storedMessage(a, "Wrong channel, sorry!");
    await message.hover();
    await message.getByRole("button", { name: "Delete message" }).click();
    await message.getByRole("group", { name: "Delete this message?" }).getByRole("button", { name: "Delete" }).click();
    await expect(storedMessage(a, "This message was deleted.")).toBeVisible();
    await expect(storedMessage(b, "This message was deleted.")).toBeVisible();
    await expect(b.getByText("Wrong channel, sorry!")).toHaveCount(0);
  });

  await test.step("after a reload both show the same", async () => {
    await b.reload();
    await expect(storedMessage(b, "Lunch at one?")).toContainText("(edited)");
    await expect(storedMessage(b, "This message was deleted.")).toBeVisible();
  });

  await close();
});

test("an edit made while the other person was offline shows once they are back", async ({ browser }) => {
  const {
    contexts: [, contextB],
    pages: [a, b],
    channel,
    close,
  } = await twoInAChannel(browser, "offline-edit");
  await typeAndSend(a, channel, "Draft plan");
  await expect(storedMessage(b, "Draft plan")).toBeVisible();

  await contextB.setOffline(true);
  const message = storedMessage(a, "Draft plan");
  await message.hover();
  await message.getByRole("button", { name: "Edit message" }).click();
  await a.getByRole("combobox", { name: "Edit message" }).fill("Final plan");
  await a.getByRole("combobox", { name: "Edit message" }).press("Enter");
  await expect(storedMessage(a, "Final plan")).toBeVisible();
  await expect(storedMessage(b, "Draft plan")).toBeVisible();
  await contextB.setOffline(false);
  await expect(storedMessage(b, "Final plan")).toContainText("(edited)", { timeout: 30_000 });

  await close();
});
