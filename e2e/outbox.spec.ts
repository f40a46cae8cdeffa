import { expect, test } from "@playwright/test";
import {
  conversationTitle,
  createChannel,
  expectConnected,
  joinChannel,
  newPerson,
  openChat,
  pendingMessage,
  postMessage,
  shownHistory,
  signUpAndSignIn,
  storedMessage,
  typeAndSend,
  uniqueChannelName,
} from "./support/chat";
import { socketSwitch } from "./support/socket-switch";

test("a message written while the socket is down waits in the outbox, survives a reload and is sent once", async ({
  browser,
}) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Dana"));
  await signUpAndSignIn(contextB, newPerson("Eli"));
  const channel = uniqueChannelName("outbox");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);

  const a = await contextA.newPage();
  const sockets = await socketSwitch(a);
  const b = await contextB.newPage();
  await openChat(a, `/c/${id}`);
  await openChat(b, `/c/${id}`);
  await expect(conversationTitle(a, channel)).toBeVisible();
  await expect(conversationTitle(b, channel)).toBeVisible();

  await typeAndSend(a, channel, "Before the outage");
  await expect(storedMessage(b, "Before the outage")).toHaveCount(1);

  await test.step("with the socket cut, a sent message shows as pending", async () => {
    await sockets.cut();
    await expect(a.locator('[data-connection="disconnected"]')).toBeVisible();
    await typeAndSend(a, channel, "Written while offline");
    await expect(pendingMessage(a, "Written while offline")).toBeVisible();
    await expect(pendingMessage(a, "Written while offline")).toContainText("Sending…");
    await expect(storedMessage(a, "Written while offline")).toHaveCount(0);
  });

  await test.step("the pending message survives a reload", async () => {
    await a.reload();
    await expect(conversationTitle(a, channel)).toBeVisible();
    await expect(storedMessage(a, "Before the outage")).toHaveCount(1);
    await expect(pendingMessage(a, "Written while offline")).toBeVisible();
    await expect(a.locator('[data-connection="connected"]')).toHaveCount(0);
    await expect(storedMessage(b, "Written while offline")).toHaveCount(0);
  });

  await test.step("once the socket is back it is sent, and appears once on both sides", async () => {
    await sockets.restore();
    await expectConnected(a);
    await expect(storedMessage(b, "Written while offline")).toHaveCount(1);
    await expect(storedMessage(a, "Written while offline")).toHaveCount(1);
    await expect(a.locator("article[data-pending]")).toHaveCount(0);
    // The outbox in localStorage is empty again.
    await expect
      .poll(() => a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("parley.outbox."))))
      .toEqual([]);
  });

  await test.step("no duplicate after reloading either side", async () => {
    for (const page of [a, b]) {
      await page.reload();
      await expectConnected(page);
      await expect(storedMessage(page, "Before the outage")).toHaveCount(1);
      await expect(storedMessage(page, "Written while offline")).toHaveCount(1);
      await expect(page.locator("article[data-seq]")).toHaveCount(2);
      expect(await shownHistory(page)).toEqual([
        [1, "Before the outage"],
        [2, "Written while offline"],
      ]);
      await expect(page.locator("article[data-pending]")).toHaveCount(0);
    }
  });

  await contextA.close();
  await contextB.close();
});

test("messages posted while the socket is down appear once, in order, when it is back, without a reload", async ({
  browser,
}) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  await signUpAndSignIn(contextA, newPerson("Fay"));
  await signUpAndSignIn(contextB, newPerson("Gil"));
  const channel = uniqueChannelName("away");
  const id = await createChannel(contextA.request, channel);
  await joinChannel(contextB.request, id);

  const a = await contextA.newPage();
  const sockets = await socketSwitch(a);
  await openChat(a, `/c/${id}`);
  await expect(conversationTitle(a, channel)).toBeVisible();
  await postMessage(contextB.request, id, "Before you left");
  await expect(storedMessage(a, "Before you left")).toHaveCount(1);

  await sockets.cut();
  await expect(a.locator('[data-connection="disconnected"]')).toBeVisible();
  await postMessage(contextB.request, id, "While you were away, one");
  await postMessage(contextB.request, id, "While you were away, two");
  await expect(storedMessage(a, "While you were away, one")).toHaveCount(0);

  await sockets.restore();
  await expectConnected(a);
  await expect(storedMessage(a, "While you were away, two")).toHaveCount(1);
  expect(await shownHistory(a)).toEqual([
    [1, "Before you left"],
    [2, "While you were away, one"],
    [3, "While you were away, two"],
  ]);

  await contextA.close();
  await contextB.close();
});
