import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mentionPageSchema, type Conversation } from "@/lib/protocol";
import type { ChatEngine } from "@/lib/client/engine/chat-engine";
import { unreadThreadMentions } from "@/lib/client/engine/slices/threads";
import { createChannel, joinChannel, myConversations, sendMessage, uniqueChannelName } from "../helpers/chat";
import { engineClient } from "../helpers/engine-client";
import { api, expectBody, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

const mentionSeqsOf = async (baseUrl: string, person: SignedInUser, id: string) =>
  (await myConversations(baseUrl, person.cookie)).find((c) => c.id === id)?.mentionSeqs;

const mentionsPage = async (baseUrl: string, person: SignedInUser, query = "") =>
  expectBody(await api(baseUrl, person.cookie).get(`/api/mentions${query}`), 200, mentionPageSchema);

/** What the engine shows of a conversation's mentions, once it agrees with `expected`. */
async function engineShows(engine: ChatEngine, id: string, expected: number[]): Promise<void> {
  await vi.waitFor(
    () => {
      const held: Conversation | undefined = engine.store.getState().conversations.find((c) => c.id === id);
      expect(held?.mentionSeqs).toEqual(expected);
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe("mentions", () => {
  let server: TestServer;
  let admin: SignedInUser;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    admin = await signUpAndSignIn(server.url, { name: "Ada" });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  /** A channel of Alice's that Bob is in and Carol is not. */
  async function aliceAndBob(): Promise<string> {
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("mention"));
    await joinChannel(server.url, bob.cookie, channel.id);
    return channel.id;
  }

  it("stores a message's mentions with it, for its members only, and never the sender's own", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    await sendMessage(socket, id, "no one here");
    const sent = await sendMessage(
      socket,
      id,
      `hi <@${bob.user.id}> and <@${carol.user.id}>, and me <@${alice.user.id}>`,
    );
    await sendMessage(socket, id, "`<@" + bob.user.id + ">` in code is text");

    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([sent.seq]);
    expect(await mentionSeqsOf(server.url, alice, id)).toEqual([]);
    expect((await mentionsPage(server.url, bob)).mentions.map((m) => m.message.id)).toContain(sent.id);
    // Carol was not a member when she was named: joining later does not bring the mention.
    await joinChannel(server.url, carol.cookie, id);
    expect((await mentionsPage(server.url, carol)).mentions.map((m) => m.message.id)).not.toContain(sent.id);
    expect(await mentionSeqsOf(server.url, alice, id)).toEqual([]);
  });

  it("counts @channel and @here for every member but the sender, once per message", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const everyone = await sendMessage(socket, id, `<!channel> and <!here> and <@${bob.user.id}>`);
    const here = await sendMessage(socket, id, "<!here> standup");

    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([everyone.seq, here.seq]);
    expect(await mentionSeqsOf(server.url, alice, id)).toEqual([]);
    const listed = (await mentionsPage(server.url, bob)).mentions.filter((m) => m.message.conversationId === id);
    expect(listed.map((m) => m.message.seq)).toEqual([here.seq, everyone.seq]);
  });

  it("stores the mentions of messages sent together in one batch", async () => {
    const id = await aliceAndBob();
    const aliceSockets = await Promise.all(Array.from({ length: 6 }, () => connect(alice.cookie)));
    const sent = await Promise.all(
      aliceSockets.flatMap((s, i) => [
        sendMessage(s, id, i % 2 === 0 ? `<@${bob.user.id}> ${i}` : `plain ${i}`),
        sendMessage(s, id, `<!here> ${i}`),
      ]),
    );
    const expected = sent.filter((m) => m.text.includes("<")).map((m) => m.seq);
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual(expected.sort((a, b) => a - b));
  });

  it("rewrites a message's mentions when it is edited, and drops them when it is deleted", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const sent = await sendMessage(socket, id, "nobody yet");
    const edit = (text: string) => emitWithAck(socket, "message:edit", { conversationId: id, seq: sent.seq, text });

    expect((await edit(`now <@${bob.user.id}>`)).ok).toBe(true);
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([sent.seq]);
    expect((await edit("not you after all")).ok).toBe(true);
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([]);
    expect((await edit("<!channel> again")).ok).toBe(true);
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([sent.seq]);
    expect((await emitWithAck(socket, "message:delete", { conversationId: id, seq: sent.seq })).ok).toBe(true);
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([]);
    expect((await mentionsPage(server.url, bob)).mentions.map((m) => m.message.id)).not.toContain(sent.id);
  });

  it("keeps an edited message's place among the mentions when it still names the person", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const older = await sendMessage(socket, id, `<@${bob.user.id}> first`);
    const newer = await sendMessage(socket, id, `<@${bob.user.id}> second`);
    const edited = await emitWithAck(socket, "message:edit", {
      conversationId: id,
      seq: older.seq,
      text: `<@${bob.user.id}> first, fixed`,
    });
    expect(edited.ok).toBe(true);
    const listed = (await mentionsPage(server.url, bob)).mentions.filter((m) => m.message.conversationId === id);
    expect(listed.map((m) => m.message.text)).toEqual([newer.text, `<@${bob.user.id}> first, fixed`]);
  });

  it("does not list @channel or @here sent before the person joined", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const before = await sendMessage(socket, id, "<!channel> before Carol");
    await joinChannel(server.url, carol.cookie, id);
    const after = await sendMessage(socket, id, "<!here> after Carol");
    const listed = (await mentionsPage(server.url, carol)).mentions.map((m) => m.message.id);
    expect(listed).toContain(after.id);
    expect(listed).not.toContain(before.id);
    const bobs = (await mentionsPage(server.url, bob)).mentions.map((m) => m.message.id);
    expect(bobs).toEqual(expect.arrayContaining([before.id, after.id]));
  });

  it("lists mentions in thread replies with their thread, while the person is in its parent, following or not", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const root = await sendMessage(socket, id, "release checklist");
    const top = await sendMessage(socket, id, `<@${bob.user.id}> see above`);
    const replied = await emitWithAck(socket, "thread:reply", {
      conversationId: id,
      rootSeq: root.seq,
      clientMessageId: randomUUID(),
      text: `<@${bob.user.id}> can you sign it off?`,
    });
    if (!replied.ok) throw new Error(replied.error.message);
    const reply = replied.data;
    const bobSocket = await connect(bob.cookie);
    const unfollowed = await emitWithAck(bobSocket, "thread:follow", {
      conversationId: id,
      rootSeq: root.seq,
      following: false,
    });
    expect(unfollowed.ok).toBe(true);

    const listed = (await mentionsPage(server.url, bob)).mentions.filter((m) =>
      [id, reply.conversationId].includes(m.message.conversationId),
    );
    expect(listed.map((m) => [m.message.id, m.inThread])).toEqual([
      [reply.id, { parentId: id, rootSeq: root.seq }],
      [top.id, null],
    ]);
    // Only mentions of others: Alice named no one but Bob.
    const alices = (await mentionsPage(server.url, alice)).mentions.map((m) => m.message.id);
    expect(alices).not.toContain(reply.id);

    expect((await api(server.url, bob.cookie).post(`/api/conversations/${id}/leave`)).status).toBe(204);
    const after = (await mentionsPage(server.url, bob)).mentions.map((m) => m.message.id);
    expect(after).not.toContain(reply.id);
    expect(after).not.toContain(top.id);
  });

  it("lists a reply also sent to the channel once, as the reply in its thread, and counts the copy there", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const root = await sendMessage(socket, id, "who signs it off?");
    const replied = await emitWithAck(socket, "thread:reply", {
      conversationId: id,
      rootSeq: root.seq,
      clientMessageId: randomUUID(),
      text: `<@${bob.user.id}> you do`,
      alsoToChannel: true,
    });
    if (!replied.ok) throw new Error(replied.error.message);
    const listed = (await mentionsPage(server.url, bob)).mentions.filter((m) =>
      [id, replied.data.conversationId].includes(m.message.conversationId),
    );
    expect(listed.map((m) => [m.message.id, m.inThread])).toEqual([
      [replied.data.id, { parentId: id, rootSeq: root.seq }],
    ]);
    // The copy is a message of the channel that mentions Bob: its unread mention counts there.
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([root.seq + 1]);
  });

  it("lowers the count as the person reads, and lists mentions newest first, page by page", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push((await sendMessage(socket, id, `<@${bob.user.id}> ${i}`)).seq);
    const bobSocket = await connect(bob.cookie);
    await emitWithAck(bobSocket, "conversation:read", { conversationId: id, seq: seqs[2]! });
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual(seqs.slice(3));

    const first = await mentionsPage(server.url, bob, "?limit=3");
    expect(first.hasMore).toBe(true);
    expect(first.mentions.map((m) => m.message.seq)).toEqual([seqs[4], seqs[3], seqs[2]]);
    const next = await mentionsPage(server.url, bob, `?limit=3&before=${first.mentions.at(-1)!.cursor}`);
    expect(next.mentions.slice(0, 2).map((m) => m.message.seq)).toEqual([seqs[1], seqs[0]]);
  });

  it("refuses @channel and @here where the channel keeps them for its creator and admins, storing nothing", async () => {
    const id = await aliceAndBob();
    const restrict = (person: SignedInUser, mentionsRestricted: boolean) =>
      api(server.url, person.cookie).request("PATCH", `/api/conversations/${id}`, { json: { mentionsRestricted } });
    expect((await restrict(bob, true)).status).toBe(403);
    expect((await restrict(alice, true)).status).toBe(200);

    const bobSocket = await connect(bob.cookie);
    const before = (await myConversations(server.url, bob.cookie)).find((c) => c.id === id)!.lastSeq;
    const refused = await emitWithAck(bobSocket, "message:send", {
      conversationId: id,
      clientMessageId: randomUUID(),
      text: "<!here> lunch?",
    });
    expect(refused).toEqual({
      ok: false,
      error: { code: "forbidden", message: expect.stringContaining("@channel and @here") as string },
    });
    expect((await myConversations(server.url, alice.cookie)).find((c) => c.id === id)!.lastSeq).toBe(before);
    expect(await mentionSeqsOf(server.url, alice, id)).toEqual([]);

    // Naming people stays open, and the creator and admins may still call everyone.
    await sendMessage(bobSocket, id, `<@${alice.user.id}> lunch?`);
    const aliceSocket = await connect(alice.cookie);
    const fromCreator = await sendMessage(aliceSocket, id, "<!channel> lunch!");
    await joinChannel(server.url, admin.cookie, id);
    const fromAdmin = await sendMessage(await connect(admin.cookie), id, "<!here> and cake");
    expect(await mentionSeqsOf(server.url, bob, id)).toEqual([fromCreator.seq, fromAdmin.seq]);

    // An edit cannot bring it in either.
    const plain = await sendMessage(bobSocket, id, "nothing to see");
    const edit = await emitWithAck(bobSocket, "message:edit", {
      conversationId: id,
      seq: plain.seq,
      text: "<!channel>",
    });
    expect(edit.ok).toBe(false);
    expect((await restrict(alice, false)).status).toBe(200);
    await sendMessage(bobSocket, id, "<!here> lunch now");
  });

  it("keeps the engine's count exact live and after a reconnect, equal to a fresh load", async () => {
    const id = await aliceAndBob();
    const { engine, dropConnection } = engineClient(server.url, bob.cookie, bob.user);
    engine.start();
    try {
      await engineShows(engine, id, []);
      const socket = await connect(alice.cookie);
      const one = await sendMessage(socket, id, `<@${bob.user.id}> one`);
      await sendMessage(socket, id, "not a mention");
      await engineShows(engine, id, [one.seq]);
      const two = await sendMessage(socket, id, "<!channel> two");
      await engineShows(engine, id, [one.seq, two.seq]);
      await emitWithAck(socket, "message:edit", { conversationId: id, seq: one.seq, text: "took it back" });
      await engineShows(engine, id, [two.seq]);
      engine.actions.markRead(id, two.seq);
      await engineShows(engine, id, []);
      await vi.waitFor(async () => expect(await mentionSeqsOf(server.url, bob, id)).toEqual([]));

      await vi.waitFor(() => expect(engine.store.getState().connection).toBe("connected"));
      dropConnection();
      const three = await sendMessage(socket, id, `<@${bob.user.id}> three`);
      const four = await sendMessage(socket, id, `<@${bob.user.id}> four`);
      await emitWithAck(socket, "message:delete", { conversationId: id, seq: four.seq });
      const five = await sendMessage(socket, id, "<!here> five");
      await engineShows(engine, id, [three.seq, five.seq]);
      expect(await mentionSeqsOf(server.url, bob, id)).toEqual([three.seq, five.seq]);
    } finally {
      engine.stop();
    }
  });

  it("counts unread mentions in thread replies for the Mentions link, as the view lists them, live and after reading", async () => {
    const id = await aliceAndBob();
    const socket = await connect(alice.cookie);
    const root = await sendMessage(socket, id, "release notes");
    const replyOf = async (text: string, alsoToChannel = false) => {
      const ack = await emitWithAck(socket, "thread:reply", {
        conversationId: id,
        rootSeq: root.seq,
        clientMessageId: randomUUID(),
        text,
        alsoToChannel,
      });
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data;
    };
    const listed = async (thread: string) => {
      const ack = await emitWithAck(await connect(bob.cookie), "threads:list", {});
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data.threads.find((t) => t.id === thread)?.mentionSeqs;
    };
    const { engine, dropConnection } = engineClient(server.url, bob.cookie, bob.user);
    // What the sidebar's Mentions link adds to the conversations' own counts.
    const counted = () => unreadThreadMentions(engine.store.getState().threads);
    engine.start();
    try {
      await vi.waitFor(() => expect(engine.store.getState().connection).toBe("connected"));
      const before = counted();
      const first = await replyOf(`<@${bob.user.id}> can you check these?`);
      await vi.waitFor(() => expect(counted()).toBe(before + 1), { timeout: 10_000 });
      // @channel calls no one in a thread, and is not listed: it is not counted either.
      await replyOf("<!channel> also these");
      await replyOf(`<@${bob.user.id}> and this one`);
      await vi.waitFor(() => expect(counted()).toBe(before + 2), { timeout: 10_000 });
      expect(await listed(first.conversationId)).toEqual([1, 3]);
      const inView = (await mentionsPage(server.url, bob)).mentions.filter(
        (m) => m.message.conversationId === first.conversationId,
      );
      expect(inView.map((m) => m.message.seq)).toEqual([3, 1]);

      engine.actions.markRead(first.conversationId, 2);
      await vi.waitFor(() => expect(counted()).toBe(before + 1), { timeout: 10_000 });
      dropConnection();
      await replyOf(`<@${bob.user.id}> while you were away`);
      await vi.waitFor(() => expect(counted()).toBe(before + 2), { timeout: 10_000 });
      engine.actions.markRead(first.conversationId, 4);
      await vi.waitFor(() => expect(counted()).toBe(before), { timeout: 10_000 });
      // The engine sends read positions at most once a second.
      await vi.waitFor(async () => expect(await listed(first.conversationId)).toEqual([]), { timeout: 10_000 });

      // A reply also sent to the channel is listed once, as the reply: its copy's mention counts, in the channel.
      await replyOf(`<@${bob.user.id}> said here too`, true);
      const held = () => engine.store.getState();
      await vi.waitFor(
        () => {
          expect(held().threads.followed[first.conversationId]?.lastSeq).toBe(5);
          expect(held().conversations.find((c) => c.id === id)?.mentionSeqs).toEqual([root.seq + 1]);
        },
        { timeout: 10_000 },
      );
      expect(counted()).toBe(before);
      expect(await listed(first.conversationId)).toEqual([]);
    } finally {
      engine.stop();
    }
  });
});

describe.skipIf(missing.length > 0)("mentions on two processes", () => {
  let cluster: TestCluster;
  let alice: SignedInUser;
  let bob: SignedInUser;

  beforeAll(async () => {
    cluster = await startCluster(2, { SOCKET_WRITES_PER_SECOND: "1000" });
    const [one] = cluster.servers;
    await signUpAndSignIn(one!.url, { name: "Ada" });
    alice = await signUpAndSignIn(one!.url, { name: "Alice" });
    bob = await signUpAndSignIn(one!.url, { name: "Bob" });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("raises the count live on one process for a mention sent on the other, and lowers it when read there", async () => {
    const [one, two] = cluster.servers as [TestServer, TestServer];
    const channel = await createChannel(one.url, alice.cookie, uniqueChannelName("apart"));
    await joinChannel(one.url, bob.cookie, channel.id);
    const { engine } = engineClient(two.url, bob.cookie, bob.user);
    engine.start();
    const aliceSocket = await connectSocket(one.url, alice.cookie);
    try {
      await engineShows(engine, channel.id, []);
      const sent = await sendMessage(aliceSocket, channel.id, `<@${bob.user.id}> over here`);
      await engineShows(engine, channel.id, [sent.seq]);
      expect(await mentionSeqsOf(one.url, bob, channel.id)).toEqual([sent.seq]);

      const bobOnOne = await connectSocket(one.url, bob.cookie);
      await emitWithAck(bobOnOne, "conversation:read", { conversationId: channel.id, seq: sent.seq });
      bobOnOne.close();
      await engineShows(engine, channel.id, []);
      expect(await mentionSeqsOf(two.url, bob, channel.id)).toEqual([]);
    } finally {
      aliceSocket.close();
      engine.stop();
    }
  });
});
