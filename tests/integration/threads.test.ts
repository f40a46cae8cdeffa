import postgres from "postgres";
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { messageSchema, threadListSchema, type Message, type ThreadSummary } from "@/lib/protocol";
import { copyId } from "@/server/threads/copy-id";
import {
  createChannel,
  fullHistory,
  joinChannel,
  myConversations,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { api, expectBody, expectError, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestServer } from "../helpers/server";
import {
  captureChanges,
  changePageOf,
  captureEvents,
  captureMessages,
  connectSocket,
  emitWithAck,
  type ClientSocket,
} from "../helpers/socket";

const fast = { SOCKET_WRITES_PER_SECOND: "1000" };

async function reply(socket: ClientSocket, conversationId: string, rootSeq: number, text: string, id = randomUUID()) {
  const ack = await emitWithAck(socket, "thread:reply", { conversationId, rootSeq, clientMessageId: id, text });
  if (!ack.ok) throw new Error(`thread:reply was refused: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

async function threads(socket: ClientSocket) {
  const ack = await emitWithAck(socket, "threads:list", {});
  if (!ack.ok) throw new Error(ack.error.message);
  return threadListSchema.parse(ack.data).threads;
}

/** Unread replies per followed thread, as the Threads view counts them: lastSeq - lastReadSeq. */
async function unread(socket: ClientSocket): Promise<Record<string, number>> {
  return Object.fromEntries((await threads(socket)).map((t) => [t.id, t.lastSeq - t.lastReadSeq]));
}

/** A socket that listens for its sync before it connects, so that it cannot miss it. */
function connectForSync(url: string, cookie: string) {
  const socket: ClientSocket = io(url, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  const sync = captureEvents(socket, "conversations:sync");
  socket.connect();
  return { socket, sync };
}

async function rootOf(server: TestServer, user: SignedInUser, channel: string, seq: number): Promise<Message> {
  const root = (await fullHistory(server.url, user.cookie, channel)).find((m) => m.seq === seq);
  if (!root) throw new Error(`No message ${seq}`);
  return root;
}

describe("threads", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;
  let carolSocket: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: fast });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("thread"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    await joinChannel(server.url, carol.cookie, channel);
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
    carolSocket = await connectSocket(server.url, carol.cookie);
  });
  afterAll(async () => {
    for (const socket of [aliceSocket, bobSocket, carolSocket]) socket?.close();
    await server?.close();
  });

  it("numbers replies in the thread, shows them live to the parent's members with the root's summary", async () => {
    const heard = captureMessages(carolSocket);
    const root = await sendMessage(aliceSocket, channel, "plan for friday?");
    const summaries = captureChanges(carolSocket, "thread");
    const first = await reply(bobSocket, channel, root.seq, "pizza");
    const second = await reply(carolSocket, channel, root.seq, "tacos");
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(second.conversationId).toBe(first.conversationId);
    expect(first.conversationId).not.toBe(channel);

    // Carol hears Bob's reply (her own comes in her ack) and both summaries, through the parent's room.
    await heard.waitFor(2);
    expect(heard.events.filter((m) => m.conversationId === first.conversationId).map((m) => m.text)).toEqual(["pizza"]);
    const [, latest] = await summaries.waitFor(2);
    const expected: ThreadSummary = {
      threadId: first.conversationId,
      replyCount: 2,
      lastReplyAt: second.createdAt,
      replierIds: [carol.user.id, bob.user.id],
    };
    expect(latest!.data).toEqual({ kind: "thread", conversationId: channel, seq: root.seq, thread: expected });

    // The channel stays gapless: replies took no number of its own.
    const next = await sendMessage(aliceSocket, channel, "and after the thread");
    expect(next.seq).toBe(root.seq + 1);
    expect((await rootOf(server, alice, channel, root.seq)).thread).toEqual(expected);
    expect((await fullHistory(server.url, carol.cookie, first.conversationId)).map((m) => [m.seq, m.text])).toEqual([
      [1, "pizza"],
      [2, "tacos"],
    ]);
  });

  it("makes the root's author and the repliers follow, with exact unread counts", async () => {
    const root = await sendMessage(aliceSocket, channel, "who has the keys?");
    const r1 = await reply(bobSocket, channel, root.seq, "not me");
    const thread = r1.conversationId;
    expect((await unread(aliceSocket))[thread]).toBe(1);
    expect((await unread(bobSocket))[thread]).toBe(0);
    expect((await unread(carolSocket))[thread]).toBeUndefined();

    await reply(bobSocket, channel, root.seq, "try the office");
    expect((await unread(aliceSocket))[thread]).toBe(2);
    // Replying reads what came before: Alice's own reply leaves her nothing unread.
    await reply(aliceSocket, channel, root.seq, "found them");
    expect((await unread(aliceSocket))[thread]).toBe(0);
    expect((await unread(bobSocket))[thread]).toBe(1);

    const read = await emitWithAck(bobSocket, "conversation:read", { conversationId: thread, seq: 3 });
    expect(read.ok && read.data).toEqual({ lastReadSeq: 3 });
    expect((await unread(bobSocket))[thread]).toBe(0);
  });

  it("makes the people a reply mentions follow, and keeps that mention for them, of members of the channel only", async () => {
    const outsider = await signUpAndSignIn(server.url, { name: "Olga" });
    const root = await sendMessage(aliceSocket, channel, "release checklist");
    const r1 = await reply(
      bobSocket,
      channel,
      root.seq,
      `<@${carol.user.id}> and <@${outsider.user.id}>, can you look? <!channel>`,
    );
    const thread = r1.conversationId;
    expect((await unread(carolSocket))[thread]).toBe(1);
    expect((await unread(aliceSocket))[thread]).toBe(1);
    const edited = await emitWithAck(bobSocket, "message:edit", {
      conversationId: thread,
      seq: r1.seq,
      text: "never mind",
    });
    expect(edited.ok).toBe(true);
    // What is stored, for notifications to come: PostgreSQL only, where the test can read the tables.
    if (!server.databaseUrl) return;
    const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const stored = () =>
        sql`select mentioned_id::text as id, kind::text from mentions where conversation_id = ${thread}`;
      expect(await stored()).toEqual([]);
      const r2 = await reply(bobSocket, channel, root.seq, `<@${carol.user.id}> <@${outsider.user.id}> <!here> again`);
      // The outsider is not in the channel, and @channel or @here calls no one from a thread.
      expect(r2.seq).toBe(2);
      expect(await stored()).toEqual([{ id: carol.user.id, kind: "user" }]);
    } finally {
      await sql.end();
    }
  });

  it("never shows phantom unread replies: deletions, edits, reactions, refollows and resends leave counts exact", async () => {
    const root = await sendMessage(aliceSocket, channel, "retro notes");
    const r1 = await reply(bobSocket, channel, root.seq, "went well");
    const thread = r1.conversationId;
    const clientMessageId = randomUUID();
    const r2 = await reply(bobSocket, channel, root.seq, "went badly", clientMessageId);
    // A resend (the outbox after a lost ack) is the same reply, not a new one.
    expect(await reply(bobSocket, channel, root.seq, "went badly", clientMessageId)).toEqual(r2);
    await emitWithAck(aliceSocket, "conversation:read", { conversationId: thread, seq: 2 });
    expect((await unread(aliceSocket))[thread]).toBe(0);

    const edited = await emitWithAck(bobSocket, "message:edit", { conversationId: thread, seq: 2, text: "mixed" });
    expect(edited.ok).toBe(true);
    expect(await emitWithAck(bobSocket, "message:delete", { conversationId: thread, seq: 1 })).toMatchObject({
      ok: true,
    });
    const reacted = await emitWithAck(aliceSocket, "reaction:add", { conversationId: thread, seq: 2, emoji: "👍" });
    expect(reacted.ok).toBe(true);
    expect((await unread(aliceSocket))[thread]).toBe(0);
    expect((await unread(bobSocket))[thread]).toBe(0);

    // Unfollowing sticks, also for the root's author; following again starts from everything read.
    const off = await emitWithAck(aliceSocket, "thread:follow", {
      conversationId: channel,
      rootSeq: root.seq,
      following: false,
    });
    expect(off.ok && off.data).toEqual({ threadId: thread, following: false });
    expect((await unread(aliceSocket))[thread]).toBeUndefined();
    await reply(bobSocket, channel, root.seq, "while Alice was away");
    expect((await unread(aliceSocket))[thread]).toBeUndefined();
    const on = await emitWithAck(aliceSocket, "thread:follow", {
      conversationId: channel,
      rootSeq: root.seq,
      following: true,
    });
    expect(on.ok && on.data).toEqual({ threadId: thread, following: true });
    expect((await unread(aliceSocket))[thread]).toBe(0);

    // The sync after a connect counts the same way.
    const { socket, sync } = connectForSync(server.url, alice.cookie);
    try {
      const [states] = await sync.waitFor(1);
      const listed = (await threads(socket)).find((t) => t.id === thread)!;
      expect(states!.threads.find((t) => t.id === thread)?.lastSeq).toBe(listed.lastSeq);
      expect(states!.conversations.map((c) => c.id)).not.toContain(thread);
    } finally {
      socket.close();
    }
  });

  it("lists followed threads unread first, then newest, with their roots", async () => {
    const quiet = await sendMessage(carolSocket, channel, "quiet root");
    const busy = await sendMessage(carolSocket, channel, "busy root");
    await reply(carolSocket, channel, busy.seq, "mine, read");
    await reply(carolSocket, channel, quiet.seq, "mine too");
    await reply(bobSocket, channel, quiet.seq, "news for Carol");
    const listed = await threads(carolSocket);
    const mine = listed.filter((t) => [quiet.seq, busy.seq].includes(t.rootSeq) && t.parentId === channel);
    expect(mine.map((t) => [t.root.text, t.lastSeq - t.lastReadSeq])).toEqual([
      ["quiet root", 1],
      ["busy root", 0],
    ]);
    expect(mine[0]!.root.thread?.replyCount).toBe(2);
  });

  it("also sends a reply to the channel when asked, numbered there once, marked with its thread", async () => {
    const heard = captureMessages(carolSocket);
    const root = await sendMessage(aliceSocket, channel, "vote: blue or green?");
    const clientMessageId = randomUUID();
    const input = { conversationId: channel, rootSeq: root.seq, clientMessageId, text: "green", alsoToChannel: true };
    const ack = await emitWithAck(bobSocket, "thread:reply", input);
    if (!ack.ok) throw new Error(ack.error.message);
    // A resend (a lost ack) stores neither the reply nor its copy again.
    const again = await emitWithAck(bobSocket, "thread:reply", input);
    expect(again.ok && again.data).toEqual(ack.data);
    const copies = (await heard.waitFor(3)).filter((m) => m.conversationId === channel && m.seq > root.seq);
    expect(copies).toEqual([
      expect.objectContaining({
        seq: root.seq + 1,
        text: "green",
        alsoSentFrom: { threadId: ack.data.conversationId, rootSeq: root.seq, seq: 1 },
      }),
    ]);
    const next = await sendMessage(aliceSocket, channel, "after the copy");
    expect(next.seq).toBe(root.seq + 2);
    const stored = (await fullHistory(server.url, alice.cookie, channel)).filter((m) => m.seq > root.seq);
    expect(stored.map((m) => [m.text, m.alsoSentFrom?.rootSeq ?? null])).toEqual([
      ["green", root.seq],
      ["after the copy", null],
    ]);
    // The root, the reply (to the thread), its copy and the message after: nothing twice.
    expect(await heard.settle()).toHaveLength(4);
  });

  it("leaves the channel read for the sender of a copy who had read it all, on their other devices too", async () => {
    const root = await sendMessage(aliceSocket, channel, "anyone for coffee?");
    const otherDevice = await connectSocket(server.url, bob.cookie);
    try {
      const readOf = async () => (await myConversations(server.url, bob.cookie)).find((c) => c.id === channel)!;
      expect(
        await emitWithAck(bobSocket, "conversation:read", { conversationId: channel, seq: root.seq }),
      ).toMatchObject({ ok: true });
      const heard = captureChanges(otherDevice, "read");
      const input = { conversationId: channel, rootSeq: root.seq, text: "me!", alsoToChannel: true };
      const ack = await emitWithAck(bobSocket, "thread:reply", { ...input, clientMessageId: randomUUID() });
      expect(ack.ok).toBe(true);
      expect(await readOf()).toMatchObject({ lastSeq: root.seq + 1, lastReadSeq: root.seq + 1 });
      expect((await heard.waitFor(1)).map((c) => c.data)).toContainEqual({
        kind: "read",
        conversationId: channel,
        lastReadSeq: root.seq + 1,
      });

      // With a message unread before it, the copy leaves that message unread.
      await sendMessage(aliceSocket, channel, "unread for bob");
      await emitWithAck(bobSocket, "thread:reply", { ...input, text: "me too", clientMessageId: randomUUID() });
      expect(await readOf()).toMatchObject({ lastSeq: root.seq + 3, lastReadSeq: root.seq + 1 });
    } finally {
      otherDevice.close();
    }
  });

  it("takes a reply to a reply's copy in the channel to the reply's own thread, as Slack does", async () => {
    const root = await sendMessage(aliceSocket, channel, "lunch at noon?");
    const input = { conversationId: channel, rootSeq: root.seq, text: "yes", alsoToChannel: true };
    const original = await emitWithAck(bobSocket, "thread:reply", { ...input, clientMessageId: randomUUID() });
    if (!original.ok) throw new Error(original.error.message);
    const thread = original.data.conversationId;
    const copy = (await fullHistory(server.url, alice.cookie, channel)).find((m) => m.seq === root.seq + 1)!;
    expect(copy.alsoSentFrom).toEqual({ threadId: thread, rootSeq: root.seq, seq: 1 });

    const clientMessageId = randomUUID();
    const toCopy = await reply(carolSocket, channel, copy.seq, "me too", clientMessageId);
    expect(toCopy).toMatchObject({ conversationId: thread, seq: 2, text: "me too" });
    // A resend names the copy as the first did: the same reply, not a conflict.
    expect(await reply(carolSocket, channel, copy.seq, "me too", clientMessageId)).toEqual(toCopy);
    const overHttp = await api(server.url, alice.cookie).post(
      `/api/conversations/${channel}/messages/${copy.seq}/replies`,
      {
        clientMessageId: randomUUID(),
        text: "count me in",
      },
    );
    expect(overHttp.body).toMatchObject({ message: { conversationId: thread, seq: 3 } });

    expect((await rootOf(server, alice, channel, copy.seq)).thread).toBeNull();
    expect((await rootOf(server, alice, channel, root.seq)).thread?.replyCount).toBe(3);
    expect((await fullHistory(server.url, alice.cookie, thread)).map((m) => m.text)).toEqual([
      "yes",
      "me too",
      "count me in",
    ]);
  });

  it("edits and deletes a reply and its copy in the channel together, named by either, live", async () => {
    const root = await sendMessage(aliceSocket, channel, "where are the prod credentials?");
    const sendAlso = async (text: string) => {
      const ack = await emitWithAck(bobSocket, "thread:reply", {
        conversationId: channel,
        rootSeq: root.seq,
        text,
        alsoToChannel: true,
        clientMessageId: randomUUID(),
      });
      if (!ack.ok) throw new Error(ack.error.message);
      const copy = (await fullHistory(server.url, carol.cookie, channel)).find(
        (m) => m.alsoSentFrom?.seq === ack.data.seq && m.alsoSentFrom.threadId === ack.data.conversationId,
      )!;
      return { reply: ack.data, copy };
    };
    const both = async ({ reply, copy }: { reply: Message; copy: Message }) => ({
      reply: (await fullHistory(server.url, carol.cookie, reply.conversationId)).find((m) => m.seq === reply.seq)!,
      copy: (await fullHistory(server.url, carol.cookie, channel)).find((m) => m.seq === copy.seq)!,
    });

    const secret = await sendAlso("the password is hunter2");
    const heard = captureChanges(carolSocket, "message");
    const deleted = await emitWithAck(bobSocket, "message:delete", {
      conversationId: secret.reply.conversationId,
      seq: secret.reply.seq,
    });
    expect(deleted).toMatchObject({ ok: true, data: { seq: secret.reply.seq, text: "" } });
    const gone = await both(secret);
    expect([gone.reply, gone.copy].map((m) => [m.text, m.deletedAt !== null])).toEqual([
      ["", true],
      ["", true],
    ]);
    // Carol, in the channel, hears the copy go.
    await expect
      .poll(() => heard.events.some((c) => c.data.message.seq === secret.copy.seq && c.data.message.deletedAt))
      .toBe(true);

    const typo = await sendAlso("teh slides are up");
    const edited = await emitWithAck(bobSocket, "message:edit", {
      conversationId: channel,
      seq: typo.copy.seq,
      text: "the slides are up",
    });
    expect(edited).toMatchObject({ ok: true, data: { conversationId: channel, seq: typo.copy.seq } });
    const fixed = await both(typo);
    expect([fixed.reply, fixed.copy].map((m) => [m.text, m.editedAt !== null])).toEqual([
      ["the slides are up", true],
      ["the slides are up", true],
    ]);

    // An admin (Alice, the first to sign up) deletes the copy: the reply goes too.
    const byAdmin = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: typo.copy.seq });
    expect(byAdmin.ok).toBe(true);
    const both2 = await both(typo);
    expect([both2.reply.deletedAt, both2.copy.deletedAt].every((at) => at !== null)).toBe(true);
    // Carol may change neither.
    const other = await sendAlso("mine");
    for (const ref of [
      { conversationId: other.reply.conversationId, seq: other.reply.seq },
      { conversationId: channel, seq: other.copy.seq },
    ]) {
      const refused = await emitWithAck(carolSocket, "message:delete", ref);
      expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect((await both(other)).copy.text).toBe("mine");
  });

  it("changes only a reply's own copy: a message sent elsewhere under the copy's id stays as it was", async () => {
    const elsewhere = (await createChannel(server.url, bob.cookie, uniqueChannelName("planted"))).id;
    const replyId = randomUUID();
    const planted = await sendMessage(bobSocket, elsewhere, "planted before the reply", copyId(replyId));
    const root = await sendMessage(aliceSocket, channel, "a root to reply to");
    const written = await reply(bobSocket, channel, root.seq, "a reply sent to the thread only", replyId);
    const ref = { conversationId: written.conversationId, seq: written.seq };

    expect(await emitWithAck(bobSocket, "message:edit", { ...ref, text: "edited <!channel>" })).toMatchObject({
      ok: true,
    });
    expect(await emitWithAck(bobSocket, "message:delete", ref)).toMatchObject({ ok: true });
    const [kept] = await fullHistory(server.url, bob.cookie, elsewhere);
    expect(kept).toMatchObject({ seq: planted.seq, text: "planted before the reply", editedAt: null, deletedAt: null });
  });

  it("follows and unfollows a reply's own thread when named by the reply's copy in the channel", async () => {
    const root = await sendMessage(aliceSocket, channel, "who has the slides?");
    const original = await emitWithAck(bobSocket, "thread:reply", {
      conversationId: channel,
      rootSeq: root.seq,
      text: "I do",
      alsoToChannel: true,
      clientMessageId: randomUUID(),
    });
    if (!original.ok) throw new Error(original.error.message);
    const thread = original.data.conversationId;
    const copySeq = root.seq + 1;
    for (const following of [true, false]) {
      const ack = await emitWithAck(carolSocket, "thread:follow", {
        conversationId: channel,
        rootSeq: copySeq,
        following,
      });
      expect(ack).toEqual({ ok: true, data: { threadId: thread, following } });
      expect((await threads(carolSocket)).some((t) => t.id === thread)).toBe(following);
    }
    expect((await rootOf(server, alice, channel, copySeq)).thread).toBeNull();
  });

  it("says to follow a thread by its message when named by the thread's own id", async () => {
    const root = await sendMessage(aliceSocket, channel, "follow me");
    const thread = (await reply(bobSocket, channel, root.seq, "followed")).conversationId;
    const message =
      "conversationId is a thread's own id: follow a thread by the conversation it is in and the message replied to";
    for (const following of [true, false]) {
      const ack = await emitWithAck(carolSocket, "thread:follow", { conversationId: thread, rootSeq: 1, following });
      expect(ack).toEqual({ ok: false, error: { code: "bad_request", message } });
      const res = await api(server.url, carol.cookie).request("PUT", `/api/conversations/${thread}/messages/1/follow`, {
        json: { following },
      });
      expect(expectError(res, 400, "bad_request").message).toBe(message);
    }
  });

  it("keeps the sidebar free of threads", async () => {
    const res = await api(server.url, alice.cookie).get("/api/conversations");
    const body = expectBody(res, 200, z.object({ conversations: z.array(z.object({ kind: z.string() })) }));
    expect(body.conversations.map((c) => c.kind)).not.toContain("thread");
  });

  it("refuses bad replies clearly and stores nothing", async () => {
    const root = await sendMessage(aliceSocket, channel, "root for bad input");
    const r1 = await reply(bobSocket, channel, root.seq, "a reply");
    const thread = r1.conversationId;
    const refusal = async (input: Record<string, unknown>) => {
      const ack = await emitWithAck(bobSocket, "thread:reply", {
        clientMessageId: randomUUID(),
        text: "should not be stored",
        ...input,
      } as never);
      return ack.ok ? "stored" : ack.error.code;
    };
    expect(await refusal({ conversationId: thread, rootSeq: 1 })).toBe("bad_request");
    expect(await refusal({ conversationId: channel, rootSeq: 999_999 })).toBe("not_found");
    expect(await refusal({ conversationId: randomUUID(), rootSeq: 1 })).toBe("not_found");
    expect(await refusal({ conversationId: channel, rootSeq: 0 })).toBe("bad_request");
    expect(await refusal({ conversationId: channel, rootSeq: root.seq, text: " " })).toBe("bad_request");
    const gone = await sendMessage(aliceSocket, channel, "soon deleted");
    await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: gone.seq });
    expect(await refusal({ conversationId: channel, rootSeq: gone.seq })).toBe("not_found");
    // A reply sent as a plain message into the thread bypasses follows and the summary: refused.
    const plain = await emitWithAck(bobSocket, "message:send", {
      conversationId: thread,
      clientMessageId: randomUUID(),
      text: "sneaky",
    });
    expect(!plain.ok && plain.error.code).toBe("bad_request");

    const secret = (await createChannel(server.url, alice.cookie, uniqueChannelName("secret"), { isPrivate: true })).id;
    const hidden = await sendMessage(aliceSocket, secret, "private root");
    const hiddenReply = await reply(aliceSocket, secret, hidden.seq, "private reply");
    const ack = await emitWithAck(bobSocket, "thread:reply", {
      conversationId: secret,
      rootSeq: hidden.seq,
      clientMessageId: randomUUID(),
      text: "let me in",
    });
    expect(!ack.ok && ack.error.code).toBe("not_found");
    const page = await emitWithAck(bobSocket, "messages:history", { conversationId: hiddenReply.conversationId });
    expect(!page.ok && page.error.code).toBe("not_found");
    const follow = await emitWithAck(bobSocket, "thread:follow", {
      conversationId: secret,
      rootSeq: hidden.seq,
      following: true,
    });
    expect(!follow.ok && follow.error.code).toBe("not_found");

    expect((await fullHistory(server.url, alice.cookie, thread)).map((m) => m.text)).toEqual(["a reply"]);
    expect((await rootOf(server, alice, channel, root.seq)).thread?.replyCount).toBe(1);
    expect((await rootOf(server, alice, channel, gone.seq)).thread).toBeNull();
  });

  it("gives two first replies at once one thread", async () => {
    const root = await sendMessage(aliceSocket, channel, "race");
    const [a, b] = await Promise.all([
      reply(bobSocket, channel, root.seq, "first?"),
      reply(carolSocket, channel, root.seq, "no, me"),
    ]);
    expect(a.conversationId).toBe(b.conversationId);
    expect([a.seq, b.seq].sort()).toEqual([1, 2]);
  });

  it("ends a person's follows of a channel's threads when they leave it, in the same change", async () => {
    const dave = await signUpAndSignIn(server.url, { name: "Dave" });
    const room = (await createChannel(server.url, alice.cookie, uniqueChannelName("leave"))).id;
    await joinChannel(server.url, dave.cookie, room);
    const daveSocket = await connectSocket(server.url, dave.cookie);
    try {
      const root = await sendMessage(aliceSocket, room, "stay or go");
      const follows = captureChanges(daveSocket, "following");
      const r = await reply(daveSocket, room, root.seq, "going");
      expect((await api(server.url, dave.cookie).post(`/api/conversations/${room}/leave`)).status).toBe(204);
      const [joined, left] = await follows.waitFor(2);
      const change = (following: boolean) => ({
        kind: "following",
        conversationId: r.conversationId,
        parentId: room,
        rootSeq: root.seq,
        following,
      });
      expect([joined!.data, left!.data]).toEqual([change(true), change(false)]);
      expect((await unread(daveSocket))[r.conversationId]).toBeUndefined();
      // Nor can they follow it again from outside.
      const again = await emitWithAck(daveSocket, "thread:follow", {
        conversationId: room,
        rootSeq: root.seq,
        following: true,
      });
      expect(!again.ok && again.error.code).toBe("forbidden");
    } finally {
      daveSocket.close();
    }
  });

  it("replies over HTTP, and a client that was offline catches up the summary through the feed", async () => {
    const root = await sendMessage(aliceSocket, channel, "offline root");
    const res = await api(server.url, bob.cookie).post(`/api/conversations/${channel}/messages/${root.seq}/replies`, {
      clientMessageId: randomUUID(),
      text: "over http",
    });
    const { message } = expectBody(res, 201, z.object({ message: messageSchema }));
    const page = await emitWithAck(carolSocket, "changes:list", { streams: [{ id: channel, after: 0 }] });
    if (!page.ok) throw new Error(page.error.message);
    const summary = changePageOf(page.data).streams[0]!.changes.find(
      (c) => c.data.kind === "thread" && c.data.seq === root.seq,
    );
    expect(summary?.data).toMatchObject({ thread: { threadId: message.conversationId, replyCount: 1 } });
    const threadFeed = await emitWithAck(carolSocket, "changes:list", {
      streams: [{ id: message.conversationId, after: 0 }],
    });
    expect(threadFeed.ok).toBe(true);
    const stranger = await signUpAndSignIn(server.url, { name: "Stranger" });
    const strangerSocket = await connectSocket(server.url, stranger.cookie);
    try {
      const refused = await emitWithAck(strangerSocket, "changes:list", {
        streams: [{ id: message.conversationId, after: 0 }],
      });
      expect(!refused.ok && refused.error.code).toBe("forbidden");
    } finally {
      strangerSocket.close();
    }
    expectError(
      await api(server.url, bob.cookie).post(`/api/conversations/${message.conversationId}/messages/1/replies`, {
        clientMessageId: randomUUID(),
        text: "reply to a reply",
      }),
      400,
      "bad_request",
    );
  });
});

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(missing.length > 0)("threads across two processes", () => {
  it("reach members on the other process live, and after a reconnect", async () => {
    const cluster = await startCluster(2, fast);
    const [one, two] = cluster.servers as [TestServer, TestServer];
    try {
      const alice = await signUpAndSignIn(one.url, { name: "Alice" });
      const bob = await signUpAndSignIn(one.url, { name: "Bob" });
      const channel = (await createChannel(one.url, alice.cookie, uniqueChannelName("two"))).id;
      await joinChannel(one.url, bob.cookie, channel);
      const writer = await connectSocket(one.url, bob.cookie);
      const reader = await connectSocket(two.url, alice.cookie);
      const root = await sendMessage(reader, channel, "across");
      const heard = captureMessages(reader);
      const summaries = captureChanges(reader, "thread");
      const first = await reply(writer, channel, root.seq, "from one");
      expect((await heard.waitFor(1)).map((m) => [m.conversationId, m.text])).toEqual([
        [first.conversationId, "from one"],
      ]);
      expect((await summaries.waitFor(1))[0]!.data).toMatchObject({ seq: root.seq, thread: { replyCount: 1 } });

      reader.close();
      await reply(writer, channel, root.seq, "while away");
      const { socket: back, sync: synced } = connectForSync(two.url, alice.cookie);
      try {
        const [sync] = await synced.waitFor(1);
        expect(sync!.threads).toContainEqual(expect.objectContaining({ id: first.conversationId, lastSeq: 2 }));
        expect((await unread(back))[first.conversationId]).toBe(2);
        expect((await rootOf(two, alice, channel, root.seq)).thread).toMatchObject({ replyCount: 2 });
      } finally {
        back.close();
        writer.close();
      }
    } finally {
      await cluster.close();
    }
  }, 60_000);
});
