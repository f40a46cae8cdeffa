import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createChannel,
  joinChannel,
  myConversations,
  openDirect,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { signIn, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";
import { captureChanges, connectSocket, emitUntypedWithAck, emitWithAck, type ClientSocket } from "../helpers/socket";

const SETTLE_MS = 500;

function markRead(socket: ClientSocket, conversationId: string, seq: number) {
  return emitWithAck(socket, "conversation:read", { conversationId, seq });
}

/** A channel with `count` messages from Alice, that Bob is in. */
async function channelWithMessages(baseUrl: string, alice: SignedInUser, bob: SignedInUser, count: number) {
  const channel = await createChannel(baseUrl, alice.cookie, uniqueChannelName("read"));
  await joinChannel(baseUrl, bob.cookie, channel.id);
  const socket = await connectSocket(baseUrl, alice.cookie);
  try {
    for (let i = 0; i < count; i += 1) await sendMessage(socket, channel.id, `message ${i}`);
  } finally {
    socket.close();
  }
  return channel.id;
}

describe("read positions", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let mallory: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  };
  const lastReadSeq = async (user: SignedInUser, id: string) =>
    (await myConversations(server.url, user.cookie)).find((c) => c.id === id)?.lastReadSeq;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    mallory = await signUpAndSignIn(server.url, { name: "Mallory" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it("moves forward, never back, and never past the newest message", async () => {
    const id = await channelWithMessages(server.url, alice, bob, 5);
    const socket = await connect(bob.cookie);
    expect(await lastReadSeq(bob, id)).toBe(0);

    expect(await markRead(socket, id, 3)).toEqual({ ok: true, data: { lastReadSeq: 3 } });
    expect(await lastReadSeq(bob, id)).toBe(3);
    expect(await markRead(socket, id, 1)).toEqual({ ok: true, data: { lastReadSeq: 3 } });
    expect(await markRead(socket, id, 3)).toEqual({ ok: true, data: { lastReadSeq: 3 } });
    expect(await lastReadSeq(bob, id)).toBe(3);
    expect(await markRead(socket, id, 1_000_000_000)).toEqual({ ok: true, data: { lastReadSeq: 5 } });
    expect(await lastReadSeq(bob, id)).toBe(5);
    // Alice's position is her own.
    expect(await lastReadSeq(alice, id)).toBe(0);
  });

  it("ends at the furthest of positions marked at the same moment", async () => {
    const id = await channelWithMessages(server.url, alice, bob, 12);
    const devices = await Promise.all([connect(bob.cookie), connect(bob.cookie), connect(bob.cookie)]);
    const witness = captureChanges(await connect(bob.cookie), "read");
    const seqs = [7, 2, 12, 9, 4, 11, 1, 10];

    await Promise.all(seqs.map((seq, i) => markRead(devices[i % devices.length]!, id, seq)));

    expect(await lastReadSeq(bob, id)).toBe(12);
    await witness.waitFor(1);
    // Live events may come in any order; in the stream's own order, the position only grows.
    const heard = [...(await witness.settle())]
      .sort((a, b) => a.seq - b.seq)
      .map((c) => (c.data.kind === "read" ? c.data.lastReadSeq : -1));
    expect(heard.at(-1)).toBe(12);
    expect(heard).toEqual([...heard].sort((a, b) => a - b));
  });

  it("tells the person's other sockets and sessions, and nobody else", async () => {
    const id = await channelWithMessages(server.url, alice, bob, 4);
    const otherSession = await signIn(server.url, bob.email, bob.password);
    const [laptop, sameCookie, phone, aliceSocket] = [
      await connect(bob.cookie),
      await connect(bob.cookie),
      await connect(otherSession!),
      await connect(alice.cookie),
    ];
    const heard = [captureChanges(sameCookie, "read"), captureChanges(phone, "read")];
    const aliceHears = captureChanges(aliceSocket);

    await markRead(laptop, id, 2);
    for (const capture of heard) {
      const [change] = await capture.waitFor(1);
      expect(change).toMatchObject({
        scope: "user",
        streamId: bob.user.id,
        data: { kind: "read", conversationId: id, lastReadSeq: 2 },
      });
    }
    // Marking a position already passed records nothing and tells nobody.
    await markRead(laptop, id, 1);
    for (const capture of heard) expect(await capture.settle(SETTLE_MS)).toHaveLength(1);
    expect(await aliceHears.settle()).toEqual([]);
  });

  it("is not_found in a conversation you may not know, and forbidden in a public one you have not joined", async () => {
    const dm = await openDirect(server.url, alice.cookie, [bob.user.id]);
    const secret = await createChannel(server.url, alice.cookie, uniqueChannelName("secret"), { isPrivate: true });
    const open = await createChannel(server.url, alice.cookie, uniqueChannelName("open"));
    const socket = await connect(mallory.cookie);
    for (const id of [dm.id, secret.id]) {
      expect(await markRead(socket, id, 1)).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    expect(await markRead(socket, open.id, 1)).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it.each([
    ["a negative position", (id: string) => ({ conversationId: id, seq: -1 })],
    ["a fraction", (id: string) => ({ conversationId: id, seq: 1.5 })],
    ["a position as text", (id: string) => ({ conversationId: id, seq: "3" })],
    ["no conversation", () => ({ seq: 3 })],
  ])("refuses %s", async (_, input) => {
    const id = await channelWithMessages(server.url, alice, bob, 3);
    const socket = await connect(bob.cookie);
    const ack = await emitUntypedWithAck(socket, "conversation:read", [input(id)]);
    expect(ack).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(await lastReadSeq(bob, id)).toBe(0);
  });

  it("says what a read position is when given something else, as other events do", async () => {
    const id = await channelWithMessages(server.url, alice, bob, 1);
    const socket = await connect(bob.cookie);
    for (const seq of ["1", -1, 1.5, null]) {
      const ack = await emitUntypedWithAck(socket, "conversation:read", [{ conversationId: id, seq }]);
      expect(ack, JSON.stringify(seq)).toEqual({
        ok: false,
        error: {
          code: "bad_request",
          message: "seq: seq is the newest sequence number read: a whole number, 0 or more",
        },
      });
    }
    expect(await lastReadSeq(bob, id)).toBe(0);
  });
});

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(missing.length > 0)("read positions across two processes", () => {
  let cluster: TestCluster;
  let one: TestServer;
  let two: TestServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    cluster = await startCluster(2);
    [one, two] = cluster.servers as [TestServer, TestServer];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  it("tells the person's sockets on the other process, in both sessions", async () => {
    const alice = await signUpAndSignIn(one.url, { name: "Alice" });
    const bob = await signUpAndSignIn(one.url, { name: "Bob" });
    const id = await channelWithMessages(one.url, alice, bob, 6);
    const otherSession = await signIn(two.url, bob.email, bob.password);
    const laptop = await connectSocket(one.url, bob.cookie);
    const onTwo = [await connectSocket(two.url, bob.cookie), await connectSocket(two.url, otherSession!)];
    sockets.push(laptop, ...onTwo);
    const heard = onTwo.map((s) => captureChanges(s, "read"));

    for (const seq of [2, 5, 3, 6]) await markRead(laptop, id, seq);

    for (const capture of heard) {
      const changes = await capture.waitFor(3);
      expect(await capture.settle(SETTLE_MS)).toHaveLength(3);
      expect(changes.map((c) => c.data.kind === "read" && c.data.lastReadSeq)).toEqual([2, 5, 6]);
    }
    const sidebar = await myConversations(two.url, otherSession!);
    expect(sidebar.find((c) => c.id === id)?.lastReadSeq).toBe(6);
  });
});
