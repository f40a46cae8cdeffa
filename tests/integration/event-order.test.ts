import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { createChannel, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { logEvents, type LoggedEvent } from "../helpers/event-log";
import { signIn, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, type TestCluster, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);
if (missing.length > 0 && process.env.CI) {
  throw new Error(`The event order tests need PostgreSQL and Redis, but ${missing.join(" and ")} is not set.`);
}

/** Messages each sender sends; a few in flight at once, so that sends are batched and relayed ones held. */
const PER_SENDER = 120;
const IN_FLIGHT = 4;

/**
 * The rule under test: a socket never hears that a message was read before it
 * has heard the message. Returns every read change that came too early.
 */
function readsBeforeTheirMessage(events: readonly LoggedEvent[], conversationId: string) {
  const heard = new Set<number>();
  const early: { lastReadSeq: number; newestHeard: number }[] = [];
  for (const event of events) {
    if ("messages" in event) {
      for (const m of event.messages) if (m.conversationId === conversationId) heard.add(m.seq);
      continue;
    }
    for (const change of event.changes) {
      const { data } = change;
      if (data.kind !== "read" || data.conversationId !== conversationId) continue;
      if (!heard.has(data.lastReadSeq))
        early.push({ lastReadSeq: data.lastReadSeq, newestHeard: Math.max(0, ...heard) });
    }
  }
  return early;
}

async function sendMany(
  socket: ClientSocket,
  conversationId: string,
  label: string,
  inFlight = IN_FLIGHT,
  padding = "",
): Promise<Message[]> {
  const sent: Message[] = [];
  let next = 0;
  const worker = async () => {
    while (next < PER_SENDER) {
      const i = next++;
      sent.push(await sendMessage(socket, conversationId, `${label} ${i} ${padding}`));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return sent;
}

describe.skipIf(missing.length > 0)("the order of a conversation's events across two processes", () => {
  let cluster: TestCluster;
  let one: TestServer;
  let two: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  /** Bob's second session, signed in on process two. */
  let bobOnTwo: string;
  const sockets: ClientSocket[] = [];
  const connect = async (server: TestServer, cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    cluster = await startCluster(2, { SOCKET_WRITES_PER_SECOND: "1000" });
    [one, two] = cluster.servers as [TestServer, TestServer];
    alice = await signUpAndSignIn(one.url, { name: "Alice" });
    bob = await signUpAndSignIn(one.url, { name: "Bob" });
    carol = await signUpAndSignIn(one.url, { name: "Carol" });
    const cookie = await signIn(two.url, bob.email, bob.password);
    if (!cookie) throw new Error("Bob could not sign in on process two");
    bobOnTwo = cookie;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  /**
   * Bob reads each message the moment his socket on process one hears it, so
   * that the read change commits on process one right behind the message;
   * his socket on process two logs what it hears, in order.
   */
  const run = async (senders: { socket: ClientSocket; label: string; inFlight?: number; padding?: string }[]) => {
    const channel = await createChannel(one.url, alice.cookie, uniqueChannelName("order"));
    await joinChannel(one.url, bob.cookie, channel.id);
    await joinChannel(two.url, carol.cookie, channel.id);
    const reader = await connect(one, bob.cookie);
    const observer = await connect(two, bobOnTwo);
    const log = logEvents(observer);
    const reads: Promise<unknown>[] = [];
    reader.on("messages:new", (messages) => {
      for (const m of messages)
        reads.push(emitWithAck(reader, "conversation:read", { conversationId: m.conversationId, seq: m.seq }));
    });

    const sent = (
      await Promise.all(senders.map((s) => sendMany(s.socket, channel.id, s.label, s.inFlight, s.padding)))
    ).flat();
    const total = sent.length;
    const heardCount = () =>
      log.events.flatMap((e) => ("messages" in e ? e.messages : [])).filter((m) => m.conversationId === channel.id)
        .length;
    await expect.poll(heardCount, { timeout: 30_000 }).toBe(total);
    await expect.poll(() => reads.length, { timeout: 30_000 }).toBe(total);
    await Promise.all(reads);
    const lastRead = () =>
      log.events
        .flatMap((e) => ("changes" in e ? e.changes : []))
        .flatMap((c) => (c.data.kind === "read" && c.data.conversationId === channel.id ? [c.data.lastReadSeq] : []));
    await expect.poll(() => Math.max(0, ...lastRead()), { timeout: 30_000 }).toBe(total);

    reader.close();
    observer.close();
    expect(readsBeforeTheirMessage(log.events, channel.id)).toEqual([]);
    // Enough reads came in between messages for the rule to have been tested.
    expect(lastRead().length).toBeGreaterThan(PER_SENDER / 4);
  };

  it("never tells a socket a message was read before the message, with the sender on the reader's process", async () => {
    await run([{ socket: await connect(one, alice.cookie), label: "alice" }]);
  });

  it("never tells a socket a message was read before the message, with senders on both processes", async () => {
    await run([
      // Each of Alice's messages reaches process two while it stores a large batch of Carol's, and is
      // held there until that batch is stored; Bob's read of it, committed on process one meanwhile,
      // must wait behind it. Changes sent past the hold (through the Socket.IO adapter) fail this.
      { socket: await connect(one, alice.cookie), label: "alice", inFlight: 1 },
      ...(await Promise.all(
        [1, 2, 3, 4].map(async (n) => ({
          socket: await connect(two, carol.cookie),
          label: `carol ${n}`,
          inFlight: 25,
          padding: "x".repeat(15_000),
        })),
      )),
    ]);
  });
});
