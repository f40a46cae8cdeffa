import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { messagePageSchema, messageSchema, type Message } from "@/lib/protocol";
import {
  createChannel,
  fullHistory,
  history,
  joinChannel,
  myConversations,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { api, expectBody, expectError, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  captureEvents,
  captureMessages,
  connectSocket,
  emitWithAck,
  errorAckSchema,
  okAckSchema,
  type ClientSocket,
  type Transport,
} from "../helpers/socket";

describe("messages", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser, transports: Transport[] = ["websocket"]) => {
    const socket = await connectSocket(server.url, user.cookie, transports);
    sockets.push(socket);
    return socket;
  };
  /** A fresh channel both Alice and Bob are in, so that sequence numbers start at 1. */
  const sharedChannel = async () => {
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("msg"));
    await joinChannel(server.url, bob.cookie, channel.id);
    return channel.id;
  };

  const myConversationsIds = async () => new Set((await myConversations(server.url, bob.cookie)).map((c) => c.id));

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it("acks a sent message and delivers it exactly once to every other socket in the conversation", async () => {
    const conversationId = await sharedChannel();
    const [aliceLaptop, alicePhone, bobSocket] = [await connect(alice), await connect(alice), await connect(bob)];
    const captures = [alicePhone, bobSocket].map((s) => captureMessages(s));
    const senderHears = captureMessages(aliceLaptop);
    const clientMessageId = randomUUID();

    const ack = await emitWithAck(aliceLaptop, "message:send", { conversationId, clientMessageId, text: "hello" });
    const { data: message } = okAckSchema.parse(ack);
    expect(message).toMatchObject({
      conversationId,
      clientMessageId,
      seq: 1,
      text: "hello",
      sender: { id: alice.user.id, name: "Alice" },
      editedAt: null,
    });
    expect(Date.now() - Date.parse(message.createdAt)).toBeLessThan(60_000);

    for (const capture of captures) expect(await capture.waitFor(1)).toEqual([message]);
    // Exactly once: nothing more arrives.
    for (const received of await Promise.all(captures.map((c) => c.settle()))) expect(received).toHaveLength(1);
    // The sending socket has the message in its ack; an event would only make it merge twice.
    expect(await senderHears.settle()).toEqual([]);

    const page = await history(server.url, bob.cookie, conversationId);
    expect(page).toEqual({ messages: [message], hasMore: false });
  });

  it("also delivers a message posted over HTTP", async () => {
    const conversationId = await sharedChannel();
    const heard = captureMessages(await connect(bob));
    const res = await api(server.url, alice.cookie).post(`/api/conversations/${conversationId}/messages`, {
      clientMessageId: randomUUID(),
      text: "over http",
    });
    const { message } = expectBody(res, 201, z.object({ message: messageSchema }));
    expect(message).toMatchObject({ conversationId, seq: 1, text: "over http" });
    expect(await heard.waitFor(1)).toEqual([message]);
  });

  it("numbers messages 1, 2, 3… and delivers and lists them in that order", async () => {
    const conversationId = await sharedChannel();
    const [aliceSocket, bobSocket] = [await connect(alice), await connect(bob)];
    const heard = captureMessages(await connect(bob));
    const sent: Message[] = [];
    for (let i = 1; i <= 10; i++) {
      sent.push(await sendMessage(i % 2 ? aliceSocket : bobSocket, conversationId, `message ${i}`));
    }
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await heard.waitFor(10)).toEqual(sent);
    expect((await history(server.url, alice.cookie, conversationId)).messages).toEqual(sent);
  });

  it("gives concurrent senders unique, gapless sequence numbers", async () => {
    const conversationId = await sharedChannel();
    const senders = [await connect(alice), await connect(alice), await connect(bob), await connect(bob)];
    const listener = captureMessages(await connect(bob));
    const perSender = 15;
    const acked = await Promise.all(
      senders.flatMap((socket, s) =>
        Array.from({ length: perSender }, (_, i) => sendMessage(socket, conversationId, `sender ${s} #${i}`)),
      ),
    );
    const total = senders.length * perSender;
    expect(acked.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const stored = await fullHistory(server.url, alice.cookie, conversationId);
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => m.id)).size).toBe(total);
    const received = await listener.waitFor(total);
    expect(new Set(received.map((m) => m.id)).size).toBe(total);
  });

  it("delivers messages stored together in one event, in order, and each sender only the others' messages", async () => {
    const conversationId = await sharedChannel();
    const [aliceSocket, bobSocket] = [await connect(alice), await connect(bob)];
    const [heardByAlice, heardByBob] = [captureMessages(aliceSocket), captureMessages(bobSocket)];
    const listener = captureMessages(await connect(bob));
    const perSender = 20;
    // Emitted at once, the sends arrive while the first inserts run, and the rest are stored in batches.
    const acked = await Promise.all(
      [aliceSocket, bobSocket].flatMap((socket, s) =>
        Array.from({ length: perSender }, (_, i) => sendMessage(socket, conversationId, `sender ${s} #${i}`)),
      ),
    );
    const total = 2 * perSender;
    const inOrder = [...acked].sort((a, b) => a.seq - b.seq);

    expect(await listener.waitFor(total)).toEqual(inOrder);
    expect(await listener.settle()).toHaveLength(total);
    expect(listener.payloads).toBeLessThan(total);
    const sentBy = (userId: string) => inOrder.filter((m) => m.sender.id === userId);
    expect(await heardByAlice.waitFor(perSender)).toEqual(sentBy(bob.user.id));
    expect(await heardByBob.waitFor(perSender)).toEqual(sentBy(alice.user.id));
    expect(await heardByAlice.settle()).toHaveLength(perSender);
    expect(await heardByBob.settle()).toHaveLength(perSender);
  });

  describe("history paging over 120 messages", () => {
    let conversationId: string;
    const seqs = (messages: Message[]) => messages.map((m) => m.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    beforeAll(async () => {
      conversationId = await sharedChannel();
      const socket = await connect(alice);
      for (let i = 1; i <= 120; i++) await sendMessage(socket, conversationId, `m${i}`);
    });

    it("returns the newest 50 by default, oldest first", async () => {
      const page = await history(server.url, bob.cookie, conversationId);
      expect(seqs(page.messages)).toEqual(range(71, 120));
      expect(page.messages.map((m) => m.text)).toEqual(range(71, 120).map((i) => `m${i}`));
      expect(page.hasMore).toBe(true);
    });

    it("pages backwards with before until the start", async () => {
      const second = await history(server.url, bob.cookie, conversationId, { before: 71 });
      expect(seqs(second.messages)).toEqual(range(21, 70));
      expect(second.hasMore).toBe(true);
      const last = await history(server.url, bob.cookie, conversationId, { before: 21 });
      expect(seqs(last.messages)).toEqual(range(1, 20));
      expect(last.hasMore).toBe(false);
      const exact = await history(server.url, bob.cookie, conversationId, { before: 51, limit: 50 });
      expect(seqs(exact.messages)).toEqual(range(1, 50));
      expect(exact.hasMore).toBe(false);
    });

    it("catches up forwards with after", async () => {
      const catchUp = await history(server.url, bob.cookie, conversationId, { after: 100 });
      expect(seqs(catchUp.messages)).toEqual(range(101, 120));
      expect(catchUp.hasMore).toBe(false);
      const fromStart = await history(server.url, bob.cookie, conversationId, { after: 0 });
      expect(seqs(fromStart.messages)).toEqual(range(1, 50));
      expect(fromStart.hasMore).toBe(true);
      const upToDate = await history(server.url, bob.cookie, conversationId, { after: 120 });
      expect(upToDate).toEqual({ messages: [], hasMore: false });
    });

    it("honours limit up to 200 and refuses bad queries", async () => {
      const all = await history(server.url, bob.cookie, conversationId, { limit: 200 });
      expect(seqs(all.messages)).toEqual(range(1, 120));
      expect(all.hasMore).toBe(false);
      const two = await history(server.url, bob.cookie, conversationId, { before: 10, limit: 2 });
      expect(seqs(two.messages)).toEqual([8, 9]);

      const bobApi = api(server.url, bob.cookie);
      const path = `/api/conversations/${conversationId}/messages`;
      for (const query of ["limit=201", "limit=0", "before=0", "after=-1", "before=5&after=1", "limit=ten"]) {
        expectError(await bobApi.get(`${path}?${query}`), 400, "bad_request");
      }
    });
  });

  it("treats a resend with the same clientMessageId as the same message, emitting nothing new", async () => {
    const conversationId = await sharedChannel();
    const [aliceSocket, bobSocket] = [await connect(alice), await connect(bob)];
    const heard = captureMessages(bobSocket);
    const input = { conversationId, clientMessageId: randomUUID(), text: "only once" };

    const first = okAckSchema.parse(await emitWithAck(aliceSocket, "message:send", input)).data;
    const again = okAckSchema.parse(await emitWithAck(aliceSocket, "message:send", input)).data;
    expect(again).toEqual(first);
    // The same id over HTTP, even with other text, is still the first message.
    const overHttp = await api(server.url, alice.cookie).post(`/api/conversations/${conversationId}/messages`, {
      clientMessageId: input.clientMessageId,
      text: "changed my mind",
    });
    expect(expectBody(overHttp, 201, z.object({ message: messageSchema })).message).toEqual(first);

    expect(await heard.waitFor(1)).toEqual([first]);
    expect(await heard.settle()).toHaveLength(1);
    expect((await history(server.url, alice.cookie, conversationId)).messages).toEqual([first]);
  });

  it("stores a message once when the same clientMessageId races in from several sockets", async () => {
    const conversationId = await sharedChannel();
    const [laptop, phone] = [await connect(alice), await connect(alice)];
    const heard = captureMessages(await connect(bob));
    const input = { conversationId, clientMessageId: randomUUID(), text: "sent twice by a flaky network" };

    const acks = await Promise.all(
      [laptop, phone, laptop, phone].map((socket) => emitWithAck(socket, "message:send", input)),
    );
    const messages = acks.map((ack) => okAckSchema.parse(ack).data);
    for (const message of messages) expect(message).toEqual(messages[0]);
    expect(messages[0]?.seq).toBe(1);
    expect(await heard.waitFor(1)).toEqual([messages[0]]);
    expect(await heard.settle()).toHaveLength(1);
    expect((await history(server.url, bob.cookie, conversationId)).messages).toEqual([messages[0]]);
    // No sequence number was burnt by the losers.
    expect((await sendMessage(laptop, conversationId, "next")).seq).toBe(2);
  });

  it("answers each of many sends arriving together as if it came alone, numbering each conversation in order", async () => {
    // Sends that arrive while an insert runs are stored by one statement (server/messages/send-message.ts).
    const [one, two] = [await sharedChannel(), await sharedChannel()];
    const aliceOnly = (await createChannel(server.url, alice.cookie, uniqueChannelName("solo"))).id;
    const [alicePhone, aliceLaptop, bobSocket] = [await connect(alice), await connect(alice), await connect(bob)];
    const resent = { conversationId: one, clientMessageId: randomUUID(), text: "resent within the batch" };
    const plan = [one, two].flatMap((conversationId) =>
      Array.from({ length: 6 }, (_, i) => ({ socket: [bobSocket, alicePhone, aliceLaptop][i % 3]!, conversationId })),
    );
    const sends = plan.map(({ socket, conversationId }, i) =>
      emitWithAck(socket, "message:send", { conversationId, clientMessageId: randomUUID(), text: `burst ${i}` }),
    );
    const refused = emitWithAck(bobSocket, "message:send", {
      conversationId: aliceOnly,
      clientMessageId: randomUUID(),
      text: "not a member",
    });
    const twice = [alicePhone, aliceLaptop].map((socket) => emitWithAck(socket, "message:send", resent));

    const stored = (await Promise.all(sends)).map((ack) => okAckSchema.parse(ack).data);
    expect(errorAckSchema.parse(await refused).error.code).toBe("forbidden");
    const [first, second] = (await Promise.all(twice)).map((ack) => okAckSchema.parse(ack).data);
    expect(second).toEqual(first);

    for (const conversationId of [one, two]) {
      const mine = [...stored, first!].filter((m) => m.conversationId === conversationId);
      const seqs = mine.map((m) => m.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: mine.length }, (_, i) => i + 1));
      expect(await fullHistory(server.url, bob.cookie, conversationId)).toEqual(
        [...mine].sort((a, b) => a.seq - b.seq),
      );
    }
    // Each socket's sends into a conversation are numbered in the order it sent them.
    for (const socket of [bobSocket, alicePhone, aliceLaptop]) {
      for (const conversationId of [one, two]) {
        const seqs = stored.filter((_, i) => plan[i]!.socket === socket && plan[i]!.conversationId === conversationId);
        expect(seqs.map((m) => m.seq)).toEqual(seqs.map((m) => m.seq).sort((a, b) => a - b));
      }
    }
    expect(await fullHistory(server.url, alice.cookie, aliceOnly)).toEqual([]);
  });

  it("refuses a clientMessageId already used in another conversation", async () => {
    const [one, two] = [await sharedChannel(), await sharedChannel()];
    const socket = await connect(alice);
    const clientMessageId = randomUUID();
    await sendMessage(socket, one, "first", clientMessageId);
    const ack = await emitWithAck(socket, "message:send", { conversationId: two, clientMessageId, text: "second" });
    expect(errorAckSchema.parse(ack).error.code).toBe("conflict");
    expect((await history(server.url, alice.cookie, two)).messages).toEqual([]);
  });

  it("lets a client that was offline catch up with after=lastSeq, without holes or duplicates", async () => {
    const conversationId = await sharedChannel();
    const [aliceSocket, bobSocket] = [await connect(alice), await connect(bob)];
    const heardBeforeLeaving = captureMessages(aliceSocket);
    const lastSeen = await sendMessage(bobSocket, conversationId, "before the tunnel");
    expect(await heardBeforeLeaving.waitFor(1)).toEqual([lastSeen]);
    aliceSocket.disconnect();

    const missed: Message[] = [];
    for (let i = 1; i <= 5; i++) missed.push(await sendMessage(bobSocket, conversationId, `while away ${i}`));

    const back = await connect(alice);
    const heardAfterReconnect = captureMessages(back);
    const catchUp = await history(server.url, alice.cookie, conversationId, { after: lastSeen.seq });
    expect(catchUp).toEqual({ messages: missed, hasMore: false });
    expect(catchUp.messages.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6]);

    // And the reconnected socket is live again.
    const next = await sendMessage(bobSocket, conversationId, "welcome back");
    expect(await heardAfterReconnect.waitFor(1)).toEqual([next]);
  });

  it("serves a polling-only client like a WebSocket one", async () => {
    const conversationId = await sharedChannel();
    const polling = await connect(bob, ["polling"]);
    expect(polling.io.engine.transport.name).toBe("polling");
    const websocket = await connect(alice);
    const heardByPolling = captureMessages(polling);
    const heardByWebsocket = captureMessages(websocket);

    const fromPolling = await sendMessage(polling, conversationId, "from a proxy-bound laptop");
    const fromWebsocket = await sendMessage(websocket, conversationId, "from a browser");
    expect(await heardByPolling.waitFor(1)).toEqual([fromWebsocket]);
    expect(await heardByWebsocket.waitFor(1)).toEqual([fromPolling]);
    expect(await heardByPolling.settle()).toHaveLength(1);
    expect(await heardByWebsocket.settle()).toHaveLength(1);
    expect(polling.io.engine.transport.name).toBe("polling");
  });

  it("reads the same history pages over the socket as over HTTP, for members only", async () => {
    const conversationId = await sharedChannel();
    const aliceSocket = await connect(alice);
    const sent: Message[] = [];
    for (let i = 1; i <= 7; i++) sent.push(await sendMessage(aliceSocket, conversationId, `page ${i}`));
    const pageAck = z.object({ ok: z.literal(true), data: messagePageSchema });
    const read = async (request: { before?: number; after?: number; limit?: number }) =>
      pageAck.parse(await emitWithAck(aliceSocket, "messages:history", { conversationId, ...request })).data;

    expect(await read({ limit: 3 })).toEqual({ messages: sent.slice(4), hasMore: true });
    expect(await read({ before: 5, limit: 3 })).toEqual({ messages: sent.slice(1, 4), hasMore: true });
    expect(await read({ after: 5 })).toEqual({ messages: sent.slice(5), hasMore: false });
    expect(await read({ limit: 3 })).toEqual(await history(server.url, bob.cookie, conversationId, { limit: 3 }));

    const carol = await signUpAndSignIn(server.url, { name: "Carol" });
    const outsider = await connect(carol);
    const refused = errorAckSchema.parse(await emitWithAck(outsider, "messages:history", { conversationId }));
    expect(refused.error.code).toBe("forbidden");
    const unknown = errorAckSchema.parse(
      await emitWithAck(outsider, "messages:history", { conversationId: randomUUID() }),
    );
    expect(unknown.error.code).toBe("not_found");
    const malformed = errorAckSchema.parse(
      await emitWithAck(aliceSocket, "messages:history", { conversationId, before: 3, after: 1 }),
    );
    expect(malformed.error.code).toBe("bad_request");
  });

  it("tells every connecting socket where each of its conversations stands", async () => {
    const conversationId = await sharedChannel();
    const aliceSocket = await connect(alice);
    for (let i = 1; i <= 3; i++) await sendMessage(aliceSocket, conversationId, `before connecting ${i}`);

    // Listening before connecting: the event may follow the connect packet closely.
    const bobSocket: ClientSocket = io(server.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: bob.cookie },
      forceNew: true,
      reconnection: false,
      autoConnect: false,
    });
    sockets.push(bobSocket);
    const sync = captureEvents(bobSocket, "conversations:sync");
    bobSocket.connect();
    const [states] = await sync.waitFor(1);
    expect(states!.conversations).toContainEqual(expect.objectContaining({ id: conversationId, lastSeq: 3 }));
    const mine = await myConversationsIds();
    expect(new Set(states!.conversations.map((s) => s.id))).toEqual(mine);
    expect(await sync.settle()).toHaveLength(1);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "keeps storing messages after PostgreSQL drops the server's connections, once each",
    async () => {
      const conversationId = await sharedChannel();
      const aliceSocket = await connect(alice);
      for (let i = 1; i <= 2; i++) await sendMessage(aliceSocket, conversationId, `before the drop ${i}`);

      const admin = postgres(server.databaseUrl!, { max: 1, onnotice: () => {} });
      try {
        const [row] = await admin<{ dropped: number }[]>`
          select count(*)::int as dropped from (
            select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()) t`;
        expect(row?.dropped).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }

      // As the app's outbox does: a send that failed, or got no answer in time, goes again with the same
      // clientMessageId.
      const resend = async (text: string, clientMessageId = randomUUID()) => {
        for (let attempt = 1; ; attempt++) {
          const ack = await emitWithAck(aliceSocket, "message:send", { conversationId, clientMessageId, text }).catch(
            (error: unknown) => {
              if (attempt === 3) throw error;
              return null;
            },
          );
          if (ack?.ok || attempt === 3) return okAckSchema.parse(ack).data;
        }
      };
      const after = [await resend("after the drop 1"), await resend("after the drop 2")];
      expect(after.map((m) => m.seq)).toEqual([3, 4]);
      const stored = await fullHistory(server.url, bob.cookie, conversationId);
      expect(stored.map((m) => [m.seq, m.text])).toEqual([
        [1, "before the drop 1"],
        [2, "before the drop 2"],
        [3, "after the drop 1"],
        [4, "after the drop 2"],
      ]);
    },
  );
});
