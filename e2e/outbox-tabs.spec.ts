import { expect, test, type Page } from "@playwright/test";
import {
  conversationTitle,
  createChannel,
  expectConnected,
  joinChannel,
  newPerson,
  openChat,
  pendingMessage,
  signUpAndSignIn,
  storedMessage,
  typeAndSend,
  uniqueChannelName,
} from "./support/chat";
import { socketSwitch } from "./support/socket-switch";

/**
 * Two tabs of one person share localStorage (two pages of one browser context). The sockets are cut
 * with socketSwitch rather than context.setOffline(), which would also stop the tabs from reloading.
 */
test("messages written offline in two tabs, reloaded in any order, are each stored once", async ({ browser }) => {
  const context = await browser.newContext();
  const other = await browser.newContext();
  await signUpAndSignIn(context, newPerson("Hana"));
  await signUpAndSignIn(other, newPerson("Ivo"));
  const channel = uniqueChannelName("tabs");
  const id = await createChannel(context.request, channel);
  await joinChannel(other.request, id);

  const one = await context.newPage();
  const two = await context.newPage();
  const switches = [await socketSwitch(one), await socketSwitch(two)];
  for (const page of [one, two]) {
    await openChat(page, `/c/${id}`);
    await expect(conversationTitle(page, channel)).toBeVisible();
  }
  const reload = async (page: Page) => {
    await page.reload();
    await expect(conversationTitle(page, channel)).toBeVisible();
  };
  const written = ["First from tab one", "First from tab two", "Second from tab one", "Second from tab two"];

  await test.step("offline, each tab's messages show as pending in both", async () => {
    for (const sockets of switches) await sockets.cut();
    for (const page of [one, two]) await expect(page.locator('[data-connection="disconnected"]')).toBeVisible();
    await typeAndSend(one, channel, written[0]!);
    await typeAndSend(two, channel, written[1]!);
    for (const page of [one, two]) {
      for (const text of written.slice(0, 2)) await expect(pendingMessage(page, text)).toBeVisible();
    }
  });

  await test.step("reloaded in turns while offline, the tabs keep every pending message", async () => {
    await reload(two);
    await reload(one);
    await typeAndSend(one, channel, written[2]!);
    await reload(one);
    await reload(two);
    await typeAndSend(two, channel, written[3]!);
    await reload(one);
    for (const page of [one, two]) {
      for (const text of written) await expect(pendingMessage(page, text)).toBeVisible();
      await expect(page.locator("article[data-pending]")).toHaveCount(written.length);
      await expect(page.locator("article[data-seq]")).toHaveCount(0);
    }
  });

  await test.step("back online, every message is stored once, in the order written, and none waits", async () => {
    await switches[1]!.restore();
    await switches[0]!.restore();
    for (const page of [one, two]) await expectConnected(page);
    for (const page of [one, two]) {
      for (const text of written) await expect(storedMessage(page, text)).toHaveCount(1);
      await expect(page.locator("article[data-pending]")).toHaveCount(0);
      await expect
        .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("parley.outbox."))))
        .toEqual([]);
    }
    const response = await other.request.get(`/api/conversations/${id}/messages?limit=200`);
    expect(response.ok()).toBe(true);
    const { messages } = (await response.json()) as { messages: { text: string }[] };
    expect(messages.map((m) => m.text)).toEqual(written);
  });

  await context.close();
  await other.close();
});
