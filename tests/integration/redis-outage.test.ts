import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMembers, createChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, signUpAndSignIn } from "../helpers/http";
import { createScratchDatabase, startTestServer, type TestServer } from "../helpers/server";
import { captureEvents, captureMessages, connectSocket, type ClientSocket } from "../helpers/socket";
import { startTcpProxy, throughProxy, type TcpProxy } from "../helpers/tcp-proxy";

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
// Long enough for node-redis to notice the cut connection and reconnect once it is restored.
const RESYNC_TIMEOUT_MS = 30_000;

/**
 * Pub/sub drops what is published while a process cannot reach Redis. A member
 * removed on another process meanwhile must not stay in the room on this one,
 * and clients there must learn what they missed.
 */
describe.skipIf(!databaseUrl || !redisUrl)("a process that loses Redis for a while", () => {
  let one: TestServer;
  let two: TestServer;
  let redisProxy: TcpProxy;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(databaseUrl!);
    const redis = new URL(redisUrl!);
    redisProxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    one = await startTestServer({ databaseUrl: scratch.url, redis: true });
    two = await startTestServer({
      databaseUrl: scratch.url,
      authSecret: one.authSecret,
      env: { REDIS_URL: throughProxy(redisUrl!, redisProxy) },
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    redisProxy?.restore();
    await Promise.all([one?.close(), two?.close()]);
    await redisProxy?.close();
    await scratch?.drop();
  });

  it("takes a member removed meanwhile out of the room once it is back, and resyncs its sockets", async () => {
    const alice = await signUpAndSignIn(one.url, { name: "Alice" });
    const bob = await signUpAndSignIn(one.url, { name: "Bob" });
    const channel = await createChannel(one.url, alice.cookie, uniqueChannelName("outage"), { isPrivate: true });
    await addMembers(one.url, alice.cookie, channel.id, [bob.user.id]);
    const connect = async (url: string, cookie: string) => {
      const socket = await connectSocket(url, cookie);
      sockets.push(socket);
      return socket;
    };
    const aliceOnOne = await connect(one.url, alice.cookie);
    const aliceOnTwo = await connect(two.url, alice.cookie);
    const bobOnTwo = await connect(two.url, bob.cookie);
    const bobSyncs = captureEvents(bobOnTwo, "conversations:sync");
    const bobHears = captureMessages(bobOnTwo);
    const aliceHears = captureMessages(aliceOnTwo);
    // The sync every connect gets may or may not have arrived before the capture began.
    const syncsBefore = (await bobSyncs.settle()).length;

    redisProxy.cut();
    const removed = await api(one.url, alice.cookie).request(
      "DELETE",
      `/api/conversations/${channel.id}/members/${bob.user.id}`,
    );
    expect(removed.status).toBe(204);
    redisProxy.restore();

    const sync = (await bobSyncs.waitFor(syncsBefore + 1, RESYNC_TIMEOUT_MS)).at(-1);
    expect(sync!.conversations.map((c) => c.id)).not.toContain(channel.id);
    expect(sync!.changeSeq).toBeGreaterThan(0);

    const afterRemoval = await sendMessage(aliceOnOne, channel.id, "Bob is not here any more");
    expect(await aliceHears.waitFor(1)).toEqual([afterRemoval]);
    expect(await bobHears.settle()).toEqual([]);
  });
});
