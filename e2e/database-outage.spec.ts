import { expect, test } from "@playwright/test";
import { createScratchDatabase, startTestServer } from "../tests/helpers/server";
import { startTcpProxy, throughProxy } from "../tests/helpers/tcp-proxy";
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

const adminUrl = process.env.TEST_DATABASE_URL;

/**
 * A server of its own, whose PostgreSQL is reached through a proxy the test can cut: a reconnect
 * while the database is down has its handshake refused as server trouble, and the page must keep
 * trying until the database is back, with no reload.
 */
test("a page whose reconnect failed while the database was down recovers by itself and sends its outbox", async ({
  browser,
}) => {
  test.skip(!adminUrl, "Needs PostgreSQL: set TEST_DATABASE_URL");
  // Starting a server of its own takes a while on a loaded machine.
  test.setTimeout(240_000);
  const scratch = await createScratchDatabase(adminUrl!);
  const target = new URL(scratch.url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const server = await startTestServer({ databaseUrl: throughProxy(scratch.url, proxy) });
  const contextA = await browser.newContext({ baseURL: server.url });
  const contextB = await browser.newContext({ baseURL: server.url });
  try {
    await signUpAndSignIn(contextA, newPerson("Hal"));
    await signUpAndSignIn(contextB, newPerson("Ivy"));
    const channel = uniqueChannelName("outage");
    const id = await createChannel(contextA.request, channel);
    await joinChannel(contextB.request, id);
    const a = await contextA.newPage();
    await openChat(a, `/c/${id}`);
    await expect(conversationTitle(a, channel)).toBeVisible();
    const text = "Written while the database was down";

    await test.step("the database goes down and the page loses its socket", async () => {
      proxy.cut();
      await contextA.setOffline(true);
      await expect(a.locator('[data-connection="disconnected"]')).toBeVisible();
      await typeAndSend(a, channel, text);
      await expect(pendingMessage(a, text)).toBeVisible();
    });

    await test.step("back online, its handshake is refused while the database is down", async () => {
      await contextA.setOffline(false);
      await expect.poll(() => server.output(), { timeout: 30_000 }).toContain("Socket authentication failed");
      await expect(a.locator('[data-connection="connected"]')).toHaveCount(0);
      await expect(pendingMessage(a, text)).toBeVisible();
    });

    await test.step("once the database is back the page connects again and sends what waited", async () => {
      proxy.restore();
      await expectConnected(a);
      await expect(storedMessage(a, text)).toHaveCount(1);
      await expect(a.locator("article[data-pending]")).toHaveCount(0);
      const b = await contextB.newPage();
      await openChat(b, `/c/${id}`);
      await expect(storedMessage(b, text)).toHaveCount(1);
    });
  } finally {
    await contextA.close();
    await contextB.close();
    proxy.restore();
    await server.close();
    await proxy.close();
    await scratch.drop();
  }
});
