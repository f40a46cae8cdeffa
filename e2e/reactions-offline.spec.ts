import { expect, test } from "@playwright/test";
import {
  createChannel,
  newPerson,
  openChat,
  postMessage,
  signUpAndSignIn,
  storedMessage,
  uniqueChannelName,
} from "./support/chat";

test("opening the emoji picker while offline leaves the chat on screen", async ({ browser }) => {
  const context = await browser.newContext();
  await signUpAndSignIn(context, newPerson("Olga"));
  const id = await createChannel(context.request, uniqueChannelName("offline-react"));
  await postMessage(context.request, id, "react to me in a tunnel");
  const page = await context.newPage();
  await openChat(page, `/c/${id}`);
  const message = storedMessage(page, "react to me in a tunnel");
  await expect(message).toBeVisible();

  await context.setOffline(true);
  await message.hover();
  await message.getByRole("button", { name: "Add reaction" }).click();

  // The picker's chunk cannot load: at most the picker is missing, never the conversation. Wait for
  // whichever comes, the picker or the error page, before looking.
  const crashed = page.getByText("This page couldn’t load");
  await expect(page.getByLabel("Search emoji").or(crashed).first())
    .toBeVisible({ timeout: 5000 })
    .catch(() => {});
  await expect(crashed).toHaveCount(0);
  await expect(message).toBeVisible();

  await context.setOffline(false);
  await expect(message).toBeVisible();
});
