import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  channelLink,
  composer,
  conversationTitle,
  newPerson,
  openChat,
  signUpAndSignIn,
  storedMessage,
  typeAndSend,
  uniqueChannelName,
} from "./support/chat";

test("a link to a public channel I have not joined previews it, and Join opens it", async ({ browser }) => {
  const owner = await browser.newContext();
  await signUpAndSignIn(owner, newPerson("Olga"));
  const channel = uniqueChannelName("preview");
  const created = await owner.request.post("/api/channels", { data: { name: channel, topic: "Where plans are made" } });
  expect(created.status()).toBe(201);
  const { id } = ((await created.json()) as { conversation: { id: string } }).conversation;
  await owner.close();

  const context = await browser.newContext();
  await signUpAndSignIn(context, newPerson("Nico"));
  const page = await context.newPage();
  await openChat(page, `/c/${id}`);

  const preview = page.getByRole("main");
  await expect(conversationTitle(page, channel)).toBeVisible();
  await expect(preview.getByText("Where plans are made")).toBeVisible();
  await expect(preview.getByText("1 member", { exact: true })).toBeVisible();
  await expect(composer(page, channel)).toHaveCount(0);
  await expect(preview.getByRole("alert")).toHaveCount(0);

  await preview.getByRole("button", { name: `Join #${channel}` }).click();
  await expect(composer(page, channel)).toBeVisible();
  await expect(channelLink(page, channel)).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
  await typeAndSend(page, channel, "Glad to be here");
  await expect(storedMessage(page, "Glad to be here")).toBeVisible();
  await context.close();
});

for (const [what, id] of [
  ["an unknown id", randomUUID()],
  ["a malformed id", "not-a-channel"],
] as const) {
  test(`a link with ${what} says calmly that there is nothing to see, with a way back`, async ({ context, page }) => {
    await signUpAndSignIn(context, newPerson("Quinn"));
    await openChat(page, `/c/${id}`);
    const main = page.getByRole("main");
    await expect(main.getByRole("heading", { level: 1 })).toHaveText(
      "This conversation doesn't exist or you don't have access",
    );
    await expect(main.getByRole("alert")).toHaveCount(0);
    await main.getByRole("link", { name: "Go to #general" }).click();
    await expect(conversationTitle(page, "general")).toBeVisible();
    await expect(composer(page, "general")).toBeVisible();
  });
}
