import { expect, test } from "@playwright/test";
import {
  channelLink,
  composer,
  conversationTitle,
  createChannel,
  newPerson,
  openChat,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

test.beforeEach(async ({ context }) => {
  await signUpAndSignIn(context, newPerson("Hana"));
});

test("the channel name field normalizes what is typed, and a taken name shows the server's error", async ({
  context,
  page,
}) => {
  const taken = uniqueChannelName("taken");
  await createChannel(context.request, taken);
  await openChat(page);

  await page.getByRole("button", { name: "Create channel" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a channel" });
  const name = dialog.getByRole("textbox", { name: "Name", exact: true });
  const create = dialog.getByRole("button", { name: "Create" });
  await expect(create).toBeDisabled();

  await name.pressSequentially("Team Plans");
  await expect(name).toHaveValue("team-plans");
  await name.fill("  Q3 Budget & Plans!");
  await expect(name).toHaveValue("q3-budget--plans");

  // The same name as an existing channel, typed in capitals: the server refuses it.
  await name.fill(taken.toUpperCase());
  await expect(name).toHaveValue(taken);
  await expect(create).toBeEnabled();
  await create.click();
  await expect(dialog.getByRole("alert")).toHaveText(`A channel named #${taken} already exists`);
  await expect(dialog).toBeVisible();
  await expect(conversationTitle(page, "general")).toBeVisible();

  // Nothing was created: the sidebar still lists the existing channel once.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(channelLink(page, taken)).toHaveCount(1);
});

test("a whitespace-only message cannot be sent", async ({ context, page }) => {
  const channel = uniqueChannelName("blank");
  const id = await createChannel(context.request, channel);
  await openChat(page, `/c/${id}`);
  await expect(page.getByText("No messages yet. Say hello!")).toBeVisible();

  const box = composer(page, channel);
  const send = page.getByRole("button", { name: "Send message" });
  await expect(send).toBeDisabled();

  await box.fill("   \n\t  ");
  await expect(send).toBeDisabled();
  await box.press("Enter");
  await expect(box).toHaveValue("   \n\t  ");
  await expect(page.locator("article")).toHaveCount(0);

  // A real message afterwards is the only one the channel holds.
  await box.fill("Now with words");
  await expect(send).toBeEnabled();
  await send.click();
  await expect(storedMessage(page, "Now with words")).toHaveCount(1);
  await expect(page.locator("article")).toHaveCount(1);
  await expect(page.locator("article[data-seq]")).toHaveAttribute("data-seq", "1");
});
