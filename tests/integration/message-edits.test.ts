import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MESSAGE_LENGTH } from "@/lib/protocol";
import {
  createChannel,
  fullHistory,
  generalId,
  joinChannel,
  myConversations,
  openDirect,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { api, expectError, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestServer } from "../helpers/server";
import { captureChanges, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

const fast = { SOCKET_WRITES_PER_SECOND: "1000" };

describe("editing and deleting messages", () => {
  let server: TestServer;
  let admin: SignedInUser;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;
  let adminSocket: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: fast });
    admin = await signUpAndSignIn(server.url, { name: "Admin" });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("edits"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    await joinChannel(server.url, admin.cookie, channel);
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
    adminSocket = await connectSocket(server.url, admin.cookie);
  });
  afterAll(async () => {
    for (const socket of [aliceSocket, bobSocket, adminSocket]) socket?.close();
    await server?.close();
  });

  it("shows an edit to every member live, marked edited, and in history", async () => {
    const sent = await sendMessage(aliceSocket, channel, "teh typo");
    const heard = captureChanges(bobSocket, "message");
    const ack = await emitWithAck(aliceSocket, "message:edit", {
      conversationId: channel,
      seq: sent.seq,
      text: "the typo",
    });
    expect(ack.ok && ack.data).toMatchObject({
      seq: sent.seq,
      text: "the typo",
      editedAt: expect.any(String),
      deletedAt: null,
    });
    await expect.poll(() => heard.events.map((c) => c.data.message.text)).toEqual(["the typo"]);
    const stored = (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === sent.seq);
    expect(stored).toMatchObject({
      text: "the typo",
      editedAt: expect.any(String),
      clientMessageId: sent.clientMessageId,
    });
  });

  it("leaves a tombstone in the message's place when it is deleted, live and in history", async () => {
    const sent = await sendMessage(aliceSocket, channel, "oops");
    const after = await sendMessage(bobSocket, channel, "after it");
    const heard = captureChanges(bobSocket, "message");
    const ack = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    expect(ack.ok && ack.data).toMatchObject({ seq: sent.seq, text: "", deletedAt: expect.any(String) });
    await expect.poll(() => heard.events.map((c) => c.data.message.deletedAt !== null)).toEqual([true]);
    const all = await fullHistory(server.url, bob.cookie, channel);
    // Still gapless: the tombstone keeps its sequence number between its neighbours.
    expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.find((m) => m.seq === sent.seq)).toMatchObject({ text: "", deletedAt: expect.any(String) });
    expect(all.find((m) => m.seq === after.seq)?.text).toBe("after it");
  });

  it("erases a deleted message's text from storage, its earlier edits included", async () => {
    const sent = await sendMessage(aliceSocket, channel, "secret one");
    await emitWithAck(aliceSocket, "message:edit", { conversationId: channel, seq: sent.seq, text: "secret two" });
    await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    for (const text of ["secret one", "secret two"]) {
      expect((await fullHistory(server.url, alice.cookie, channel)).some((m) => m.text === text)).toBe(false);
    }
    if (!server.databaseUrl) return;
    const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [found] = await sql<{ messages: number; changes: number }[]>`
        select (select count(*) from messages where text like '%secret%')::int as messages,
          (select count(*) from changes where data::text like '%secret%')::int as changes`;
      expect(found).toEqual({ messages: 0, changes: 0 });
    } finally {
      await sql.end();
    }
  });

  it("lets an admin delete anyone's message but edit only their own", async () => {
    const sent = await sendMessage(bobSocket, channel, "bob's words");
    const edit = await emitWithAck(adminSocket, "message:edit", { conversationId: channel, seq: sent.seq, text: "x" });
    expect(!edit.ok && edit.error.code).toBe("forbidden");
    const removed = await emitWithAck(adminSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    expect(removed.ok && removed.data.deletedAt).toEqual(expect.any(String));
  });

  it("keeps edits within the edit window an admin sets, which only an admin may set", async () => {
    const settings = (who: SignedInUser, json?: unknown) =>
      json === undefined
        ? api(server.url, who.cookie).request("GET", "/api/workspace/settings")
        : api(server.url, who.cookie).request("PATCH", "/api/workspace/settings", { json });
    expect((await settings(admin)).body).toEqual({ messageEditWindowSeconds: null });
    expectError(await settings(alice, { messageEditWindowSeconds: 60 }), 403, "forbidden");
    // Refused for who asks before what is asked is read: a member learns nothing of what it accepts.
    expectError(await settings(alice, { messageEditWindowSeconds: -1 }), 403, "forbidden");
    expectError(await settings(alice), 403, "forbidden");
    for (const bad of [
      {},
      { messageEditWindowSeconds: -1 },
      { messageEditWindowSeconds: 1.5 },
      { messageEditWindowSeconds: "60" },
      { messageEditWindowSeconds: 8 * 24 * 3600 },
      { name: "x" },
    ]) {
      expectError(await settings(admin, bad), 400, "bad_request");
    }
    expect((await settings(admin)).body).toEqual({ messageEditWindowSeconds: null });

    const old = await sendMessage(aliceSocket, channel, "sent before the window was set");
    const edit = (seq: number, text: string) =>
      emitWithAck(aliceSocket, "message:edit", { conversationId: channel, seq, text });
    try {
      expect((await settings(admin, { messageEditWindowSeconds: 1 })).body).toEqual({ messageEditWindowSeconds: 1 });
      const fresh = await sendMessage(aliceSocket, channel, "fresh");
      expect(await edit(fresh.seq, "fresh, edited")).toMatchObject({ ok: true, data: { text: "fresh, edited" } });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await edit(old.seq, "too late")).toEqual({
        ok: false,
        error: { code: "forbidden", message: "Messages can be edited for 1 second after they are sent" },
      });
      await settings(admin, { messageEditWindowSeconds: 0 });
      const never = await sendMessage(aliceSocket, channel, "never edited");
      expect(await edit(never.seq, "edited")).toMatchObject({ ok: false, error: { code: "forbidden" } });
      // Deleting is not editing: the window does not hold it back.
      const removed = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: never.seq });
      expect(removed.ok).toBe(true);
    } finally {
      await settings(admin, { messageEditWindowSeconds: null });
    }
    expect(await edit(old.seq, "edited at last")).toMatchObject({ ok: true, data: { text: "edited at last" } });
    const stored = (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === old.seq);
    expect(stored?.text).toBe("edited at last");
  });

  it("refuses bad edits and deletes with a clear error, changing nothing", async () => {
    const mine = await sendMessage(aliceSocket, channel, "alice's");
    const gone = await sendMessage(aliceSocket, channel, "to go");
    await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: gone.seq });
    const other = (await createChannel(server.url, admin.cookie, uniqueChannelName("closed"), { isPrivate: true })).id;
    const hidden = await sendMessage(adminSocket, other, "private words");
    const dm = (await openDirect(server.url, admin.cookie, [bob.user.id])).id;
    const dmMessage = await sendMessage(adminSocket, dm, "between us");
    const edit = (conversationId: string, seq: number, text: unknown, socket = aliceSocket) =>
      emitWithAck(socket, "message:edit", { conversationId, seq, text } as never);
    const refusals = {
      "someone else's message": await edit(channel, mine.seq, "hijacked", bobSocket),
      "someone else's delete": await emitWithAck(bobSocket, "message:delete", {
        conversationId: channel,
        seq: mine.seq,
      }),
      "a deleted message": await edit(channel, gone.seq, "back"),
      "someone else's deleted message, deleted": await emitWithAck(bobSocket, "message:delete", {
        conversationId: channel,
        seq: gone.seq,
      }),
      "an unknown message": await edit(channel, 999_999, "nothing"),
      "empty text": await edit(channel, mine.seq, " \n "),
      "text that is not a string": await edit(channel, mine.seq, 42),
      "over-long text": await edit(channel, mine.seq, "x".repeat(MAX_MESSAGE_LENGTH + 1)),
      "a private channel one is not in": await edit(other, hidden.seq, "peek"),
      "a private channel's delete": await emitWithAck(aliceSocket, "message:delete", {
        conversationId: other,
        seq: hidden.seq,
      }),
      "another person's direct message": await edit(dm, dmMessage.seq, "peek"),
      "a seq that is not a number": await edit(channel, "one" as never, "x"),
    };
    const codes = Object.fromEntries(Object.entries(refusals).map(([k, a]) => [k, a.ok ? "ok" : a.error.code]));
    expect(codes).toEqual({
      "someone else's message": "forbidden",
      "someone else's delete": "forbidden",
      "a deleted message": "not_found",
      "someone else's deleted message, deleted": "forbidden",
      "an unknown message": "not_found",
      "empty text": "bad_request",
      "text that is not a string": "bad_request",
      "over-long text": "bad_request",
      "a private channel one is not in": "not_found",
      "a private channel's delete": "not_found",
      "another person's direct message": "not_found",
      "a seq that is not a number": "bad_request",
    });
    const texts = (await fullHistory(server.url, alice.cookie, channel)).map((m) => m.text);
    expect(texts).toContain("alice's");
    expect((await fullHistory(server.url, admin.cookie, other)).map((m) => m.text)).toEqual(["private words"]);
  });

  it("answers a delete of a deleted message (another device's) with its tombstone, recording nothing", async () => {
    const sent = await sendMessage(aliceSocket, channel, "deleted twice");
    const first = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    if (!first.ok) throw new Error(first.error.message);
    const changeSeq = async () =>
      (await myConversations(server.url, alice.cookie)).find((c) => c.id === channel)!.changeSeq;
    const before = await changeSeq();

    const again = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    expect(again).toEqual({ ok: true, data: first.data });
    const path = `/api/conversations/${channel}/messages/${sent.seq}`;
    const overHttp = await api(server.url, alice.cookie).request("DELETE", path);
    expect(overHttp.status).toBe(200);
    expect(overHttp.body).toEqual({ message: first.data });
    const byAdmin = await emitWithAck(adminSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    expect(byAdmin).toEqual({ ok: true, data: first.data });
    expect(await changeSeq()).toBe(before);
  });

  it("refuses changes in a channel one has left, and in an archived channel", async () => {
    const left = (await createChannel(server.url, admin.cookie, uniqueChannelName("left"))).id;
    await joinChannel(server.url, alice.cookie, left);
    const sent = await sendMessage(aliceSocket, left, "before leaving");
    expect((await api(server.url, alice.cookie).post(`/api/conversations/${left}/leave`)).status).toBeLessThan(300);
    const afterLeaving = await emitWithAck(aliceSocket, "message:edit", {
      conversationId: left,
      seq: sent.seq,
      text: "x",
    });
    expect(!afterLeaving.ok && afterLeaving.error).toMatchObject({ code: "forbidden" });

    const archived = (await createChannel(server.url, alice.cookie, uniqueChannelName("old"))).id;
    const old = await sendMessage(aliceSocket, archived, "history");
    expect((await api(server.url, alice.cookie).post(`/api/conversations/${archived}/archive`)).status).toBeLessThan(
      300,
    );
    const inArchive = await emitWithAck(aliceSocket, "message:delete", { conversationId: archived, seq: old.seq });
    expect(!inArchive.ok && inArchive.error.message).toMatch(/archived/);
    expect((await fullHistory(server.url, alice.cookie, archived)).map((m) => m.text)).toEqual(["history"]);
  });

  it("edits and deletes over HTTP as over the socket", async () => {
    const general = await generalId(server.url, alice.cookie);
    const sent = await sendMessage(aliceSocket, general, "by http");
    const path = `/api/conversations/${general}/messages/${sent.seq}`;
    const edited = await api(server.url, alice.cookie).request("PATCH", path, { json: { text: "edited by http" } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ message: { text: "edited by http", editedAt: expect.any(String) } });
    const removed = await api(server.url, alice.cookie).request("DELETE", path);
    expect(removed.body).toMatchObject({ message: { text: "", deletedAt: expect.any(String) } });
    const bad = await api(server.url, alice.cookie).request("PATCH", `/api/conversations/${general}/messages/abc`, {
      json: { text: "x" },
    });
    expect(bad.status).toBe(400);
  });
});

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(missing.length > 0)("edits across two processes", () => {
  it("reaches a member on the other process after the message itself, never before", async () => {
    const cluster = await startCluster(2, fast);
    const [one, two] = cluster.servers as [TestServer, TestServer];
    try {
      const alice = await signUpAndSignIn(one.url, { name: "Alice" });
      const bob = await signUpAndSignIn(one.url, { name: "Bob" });
      const channel = (await createChannel(one.url, alice.cookie, uniqueChannelName("two"))).id;
      await joinChannel(one.url, bob.cookie, channel);
      const writer = await connectSocket(one.url, alice.cookie);
      const reader = await connectSocket(two.url, bob.cookie);
      const order: string[] = [];
      reader.on("messages:new", (messages) => order.push(...messages.map((m) => `message ${m.seq}`)));
      reader.on("changes", (changes) =>
        order.push(...changes.flatMap((c) => (c.data.kind === "message" ? [`edit ${c.data.message.seq}`] : []))),
      );
      for (let i = 0; i < 10; i++) {
        const sent = await sendMessage(writer, channel, `m${i}`);
        void emitWithAck(writer, "message:edit", { conversationId: channel, seq: sent.seq, text: `m${i}!` });
      }
      await expect.poll(() => order.filter((e) => e.startsWith("edit")).length, { timeout: 10_000 }).toBe(10);
      for (let seq = 1; seq <= 10; seq++) {
        expect(order.indexOf(`message ${seq}`), `message ${seq} before its edit`).toBeLessThan(
          order.indexOf(`edit ${seq}`),
        );
      }
      writer.close();
      reader.close();
    } finally {
      await cluster.close();
    }
  });
});
