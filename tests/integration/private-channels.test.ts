import type postgres from "postgres";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { personSchema, type Change } from "@/lib/protocol";
import {
  addMembers,
  channelDirectory,
  createChannel,
  fullHistory,
  myConversations,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { expectHidden } from "../helpers/conversation-access";
import { logEvents, messagesAfter } from "../helpers/event-log";
import { api, expectBody, expectError, signIn, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";
import {
  captureChanges,
  captureMessages,
  connectSocket,
  emitWithAck,
  joinedOrLeft,
  type ClientSocket,
} from "../helpers/socket";
import { conversationCounts, countedMembers, deactivate, openTestSql } from "../helpers/test-db";

/** Long enough for a wrongly delivered message to arrive, when proving it does not. */
const SETTLE_MS = 500;

async function memberIds(baseUrl: string, cookie: string, id: string): Promise<string[]> {
  const res = await api(baseUrl, cookie).get(`/api/conversations/${id}/members`);
  return expectBody(res, 200, z.object({ members: z.array(personSchema) }))
    .members.map((m) => m.id)
    .sort();
}

const removal = (conversationId: string) => (c: Change) =>
  c.data.kind === "membership" && c.data.conversationId === conversationId && c.data.conversation === null;

describe("private channels", () => {
  let server: TestServer;
  let sql: postgres.Sql | undefined;
  let admin: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  let dave: SignedInUser;
  let mallory: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };
  const remove = (as: SignedInUser, id: string, userId: string) =>
    api(server.url, as.cookie).request("DELETE", `/api/conversations/${id}/members/${userId}`);
  /** A private channel Bob made, with the people named added. */
  const privateChannel = async (...others: SignedInUser[]) => {
    const channel = await createChannel(server.url, bob.cookie, uniqueChannelName("secret"), { isPrivate: true });
    if (others.length > 0)
      await addMembers(
        server.url,
        bob.cookie,
        channel.id,
        others.map((p) => p.user.id),
      );
    return channel;
  };

  beforeAll(async () => {
    server = await startTestServer();
    sql = openTestSql(server);
    // The first person to sign up is the workspace's admin.
    admin = await signUpAndSignIn(server.url, { name: "Admin" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
    dave = await signUpAndSignIn(server.url, { name: "Dave" });
    mallory = await signUpAndSignIn(server.url, { name: "Mallory" });
    expect(admin.user.role).toBe("admin");
    expect(bob.user.role).toBe("member");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await sql?.end({ timeout: 5 });
    await server?.close();
  });

  it("is not_found for everyone outside it, the admin included, and missing from the directory", async () => {
    const channel = await privateChannel(carol);
    await sendMessage(await connect(bob), channel.id, "only for members");
    for (const outsider of [mallory, admin]) {
      await expectHidden(server.url, outsider.cookie, await connect(outsider), channel.id);
      expect((await channelDirectory(server.url, outsider.cookie)).map((c) => c.id)).not.toContain(channel.id);
    }
    // Its members do not find it in the directory either: it lists public channels.
    expect((await channelDirectory(server.url, carol.cookie)).map((c) => c.id)).not.toContain(channel.id);
  });

  it("lets any member add people, whose sockets join at once and hear what follows", async () => {
    const channel = await privateChannel(carol);
    const daveSockets = [await connect(dave), await connect(dave)];
    const joined = daveSockets.map((s) => captureChanges(s, "membership"));
    const heard = daveSockets.map((s) => captureMessages(s));

    // Carol did not make the channel; being in it is enough to add someone.
    await addMembers(server.url, carol.cookie, channel.id, [dave.user.id]);

    const asDaveHasIt = (await myConversations(server.url, dave.cookie)).find((c) => c.id === channel.id);
    expect(asDaveHasIt).toMatchObject({ id: channel.id, isPrivate: true, memberCount: 3 });
    for (const capture of joined) expect(joinedOrLeft(await capture.waitFor(1))).toEqual([asDaveHasIt]);
    const welcome = await sendMessage(await connect(carol), channel.id, "welcome Dave");
    for (const capture of heard) expect(await capture.waitFor(1)).toEqual([welcome]);
    expect(await memberIds(server.url, dave.cookie, channel.id)).toEqual(
      [bob, carol, dave].map((p) => p.user.id).sort(),
    );
    expect(await fullHistory(server.url, dave.cookie, channel.id)).toEqual([welcome]);
  });

  it("lets its creator and an admin in it remove members, and nobody else", async () => {
    const channel = await privateChannel(carol, dave, admin);

    expectError(await remove(carol, channel.id, dave.user.id), 403, "forbidden");
    expectError(await remove(mallory, channel.id, dave.user.id), 404, "not_found");
    expect(await memberIds(server.url, bob.cookie, channel.id)).toHaveLength(4);

    expect((await remove(bob, channel.id, carol.user.id)).status).toBe(204);
    expect((await remove(admin, channel.id, dave.user.id)).status).toBe(204);
    expect(await memberIds(server.url, bob.cookie, channel.id)).toEqual([admin, bob].map((p) => p.user.id).sort());
    expectError(await remove(bob, channel.id, carol.user.id), 404, "not_found");
  });

  it("stops someone removed from hearing anything at once, and hides the channel from them", async () => {
    const channel = await privateChannel(carol, dave);
    const carolSocket = await connect(carol);
    const carolLog = logEvents(carolSocket);
    const left = captureChanges(carolSocket, "membership");
    const [bobSocket, daveSocket] = [await connect(bob), await connect(dave)];
    const daveHears = captureMessages(daveSocket);
    const before = await sendMessage(bobSocket, channel.id, "before");

    expect((await remove(bob, channel.id, carol.user.id)).status).toBe(204);
    // Sent the moment the removal is answered, without waiting for anything else.
    const after = await Promise.all([
      sendMessage(bobSocket, channel.id, "after 1"),
      sendMessage(daveSocket, channel.id, "after 2"),
    ]);

    expect(joinedOrLeft(await left.waitFor(1))).toEqual([{ left: channel.id }]);
    expect(await daveHears.waitFor(2)).toEqual([before, after[0]]);
    await captureMessages(carolSocket).settle(SETTLE_MS);
    expect(messagesAfter(carolLog.events, removal(channel.id))).toEqual({ found: true, after: [] });
    expect(carolLog.events.flatMap((e) => ("messages" in e ? e.messages : []))).toEqual([before]);
    await expectHidden(server.url, carol.cookie, carolSocket, channel.id);
  });

  it("answers a resend from someone removed with their message as sent, without what members did since", async () => {
    const channel = await privateChannel(carol);
    const [bobSocket, carolSocket] = [await connect(bob), await connect(carol)];
    const sent = await sendMessage(carolSocket, channel.id, "mine");
    const replied = await emitWithAck(carolSocket, "thread:reply", {
      conversationId: channel.id,
      rootSeq: sent.seq,
      clientMessageId: randomUUID(),
      text: "my reply",
    });
    if (!replied.ok) throw new Error(replied.error.message);
    const ref = { conversationId: channel.id, seq: sent.seq };
    expect(await emitWithAck(bobSocket, "reaction:add", { ...ref, emoji: "🔥" })).toMatchObject({ ok: true });
    expect((await remove(bob, channel.id, carol.user.id)).status).toBe(204);
    const bobReplied = await emitWithAck(bobSocket, "thread:reply", {
      conversationId: channel.id,
      rootSeq: sent.seq,
      clientMessageId: randomUUID(),
      text: "bob answers once carol is gone",
    });
    expect(bobReplied.ok).toBe(true);

    const resend = await emitWithAck(carolSocket, "message:send", {
      conversationId: channel.id,
      clientMessageId: sent.clientMessageId,
      text: "mine",
    });
    expect(resend).toMatchObject({ ok: true, data: { seq: sent.seq, text: "mine", reactions: [], thread: null } });
    const replyResent = await emitWithAck(carolSocket, "thread:reply", {
      conversationId: channel.id,
      rootSeq: sent.seq,
      clientMessageId: replied.data.clientMessageId,
      text: "my reply",
    });
    expect(replyResent).toMatchObject({ ok: true, data: { seq: replied.data.seq, reactions: [] } });
  });

  it("refuses to remove the last member, or to let them leave, and changes nothing", async () => {
    const channel = await privateChannel();
    const counts = sql && (await conversationCounts(sql));
    expectError(await remove(bob, channel.id, bob.user.id), 409, "conflict");
    expectError(await api(server.url, bob.cookie).post(`/api/conversations/${channel.id}/leave`), 409, "conflict");

    expect(await memberIds(server.url, bob.cookie, channel.id)).toEqual([bob.user.id]);
    expect((await myConversations(server.url, bob.cookie)).find((c) => c.id === channel.id)).toMatchObject({
      memberCount: 1,
    });
    if (sql) {
      expect(await conversationCounts(sql)).toEqual(counts);
      expect(await countedMembers(sql, channel.id)).toBe(1);
    }
  });

  it("lets a member leave while others stay", async () => {
    const channel = await privateChannel(carol);
    expect((await api(server.url, carol.cookie).post(`/api/conversations/${channel.id}/leave`)).status).toBe(204);
    expect(await memberIds(server.url, bob.cookie, channel.id)).toEqual([bob.user.id]);
    await expectHidden(server.url, carol.cookie, await connect(carol), channel.id);
  });

  it("refuses to add someone unknown, and adds nobody of that request", async () => {
    const channel = await privateChannel();
    const res = await api(server.url, bob.cookie).post(`/api/conversations/${channel.id}/members`, {
      userIds: [carol.user.id, "00000000-0000-4000-8000-000000000000"],
    });
    expectError(res, 400, "bad_request");
    expect(await memberIds(server.url, bob.cookie, channel.id)).toEqual([bob.user.id]);
    expect((await myConversations(server.url, carol.cookie)).map((c) => c.id)).not.toContain(channel.id);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "refuses to add a deactivated person, and adds nobody of that request",
    async () => {
      const gone = await signUpAndSignIn(server.url, { name: "Gone" });
      await deactivate(sql!, gone.user.id);
      const channel = await privateChannel();
      const counts = await conversationCounts(sql!);

      const res = await api(server.url, bob.cookie).post(`/api/conversations/${channel.id}/members`, {
        userIds: [carol.user.id, gone.user.id],
      });
      expect(expectError(res, 400, "bad_request").message).toMatch(/deactivated/);
      expect(await memberIds(server.url, bob.cookie, channel.id)).toEqual([bob.user.id]);
      expect(await conversationCounts(sql!)).toEqual(counts);
    },
  );
});

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(missing.length > 0)("private channels across two processes", () => {
  let cluster: TestCluster;
  let one: TestServer;
  let two: TestServer;
  const sockets: ClientSocket[] = [];
  const connect = async (server: TestServer, cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    cluster = await startCluster(2);
    [one, two] = cluster.servers as [TestServer, TestServer];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  it("stops a removed person's socket on the other process at once", async () => {
    const [bob, carol, dave] = (await Promise.all(
      ["Bob", "Carol", "Dave"].map((name) => signUpAndSignIn(one.url, { name })),
    )) as [SignedInUser, SignedInUser, SignedInUser];
    const carolOnTwo = await signIn(two.url, carol.email, carol.password);
    for (let round = 0; round < 3; round += 1) {
      const channel = await createChannel(one.url, bob.cookie, uniqueChannelName("secret"), { isPrivate: true });
      await addMembers(one.url, bob.cookie, channel.id, [carol.user.id, dave.user.id]);
      const carolSocket = await connect(two, carolOnTwo!);
      const carolLog = logEvents(carolSocket);
      const left = captureChanges(carolSocket, "membership");
      const bobSocket = await connect(one, bob.cookie);
      const daveHears = captureMessages(await connect(two, dave.cookie));
      const before = await sendMessage(bobSocket, channel.id, "before");

      const removed = api(one.url, bob.cookie).request(
        "DELETE",
        `/api/conversations/${channel.id}/members/${carol.user.id}`,
      );
      expect((await removed).status).toBe(204);
      const after = await sendMessage(bobSocket, channel.id, "after");

      expect(joinedOrLeft(await left.waitFor(1))).toEqual([{ left: channel.id }]);
      expect(await daveHears.waitFor(2)).toEqual([before, after]);
      await daveHears.settle(SETTLE_MS);
      expect(messagesAfter(carolLog.events, removal(channel.id))).toEqual({ found: true, after: [] });
      expect(carolLog.events.flatMap((e) => ("messages" in e ? e.messages : []))).toEqual([before]);
      await expectHidden(two.url, carolOnTwo!, carolSocket, channel.id);
      carolSocket.close();
    }
  });
});
