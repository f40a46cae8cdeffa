import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { conversationInfoSchema, personSchema, type ConversationInfo } from "@/lib/protocol";
import {
  addMembers,
  channelDirectory,
  createChannel,
  fullHistory,
  generalId,
  joinChannel,
  myConversations,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { api, expectBody, expectError, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { captureChanges, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";
import { countedMembers, openTestSql } from "../helpers/test-db";

const detailsSchema = z.object({ conversation: conversationInfoSchema, isMember: z.boolean() });
const updatedSchema = z.object({ conversation: conversationInfoSchema });

describe("a conversation's details", () => {
  let server: TestServer;
  let sql: postgres.Sql | undefined;
  let admin: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  let dave: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };
  const as = (user: SignedInUser) => api(server.url, user.cookie);
  const patch = (user: SignedInUser, id: string, json: unknown) =>
    as(user).request("PATCH", `/api/conversations/${id}`, { json });
  const details = async (user: SignedInUser, id: string): Promise<ConversationInfo> =>
    expectBody(await as(user).get(`/api/conversations/${id}`), 200, detailsSchema).conversation;
  /** A public channel Bob made, with Carol in it. */
  const bobsChannel = async () => {
    const channel = await createChannel(server.url, bob.cookie, uniqueChannelName("details"));
    await joinChannel(server.url, carol.cookie, channel.id);
    return channel;
  };

  beforeAll(async () => {
    server = await startTestServer();
    sql = openTestSql(server);
    admin = await signUpAndSignIn(server.url, { name: "Admin" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
    dave = await signUpAndSignIn(server.url, { name: "Dave" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await sql?.end({ timeout: 5 });
    await server?.close();
  });

  it("lets any member set the topic and description, and tells every member's sockets", async () => {
    const channel = await bobsChannel();
    const bobHears = captureChanges(await connect(bob), "conversation");

    const res = await patch(carol, channel.id, { topic: "  Launch day  ", description: "Where we plan it" });
    const { conversation } = expectBody(res, 200, updatedSchema);
    expect(conversation).toMatchObject({ topic: "Launch day", description: "Where we plan it", name: channel.name });

    const [change] = await bobHears.waitFor(1);
    expect(change).toMatchObject({ scope: "conversation", streamId: channel.id, data: { conversation } });
    expect(await details(bob, channel.id)).toEqual(conversation);

    // Someone who has not joined the public channel may look, not change it.
    expectError(await patch(dave, channel.id, { topic: "mine now" }), 403, "forbidden");
    expect((await details(dave, channel.id)).topic).toBe("Launch day");
  });

  it("lets only the creator or an admin rename a channel", async () => {
    const channel = await bobsChannel();

    // Refused whole: the topic that came with the name is not set either.
    expectError(await patch(carol, channel.id, { name: uniqueChannelName("carols"), topic: "new" }), 403, "forbidden");
    expect(await details(carol, channel.id)).toMatchObject({ name: channel.name, topic: "" });

    const byCreator = uniqueChannelName("renamed");
    expect(expectBody(await patch(bob, channel.id, { name: byCreator }), 200, updatedSchema).conversation.name).toBe(
      byCreator,
    );
    // The admin has not joined it, and may still rename it.
    const byAdmin = uniqueChannelName("renamed");
    expect(expectBody(await patch(admin, channel.id, { name: byAdmin }), 200, updatedSchema).conversation.name).toBe(
      byAdmin,
    );
    expect((await myConversations(server.url, carol.cookie)).find((c) => c.id === channel.id)?.name).toBe(byAdmin);
  });

  it("refuses a name another channel has, and changes nothing", async () => {
    const [channel, other] = [await bobsChannel(), await bobsChannel()];
    const before = await details(bob, channel.id);
    const res = await patch(bob, channel.id, { name: other.name, topic: "would be new" });
    expectError(res, 409, "conflict");
    expect(await details(bob, channel.id)).toEqual(before);
  });

  it("refuses an empty change, an unknown field and a bad name, and changes nothing", async () => {
    const channel = await bobsChannel();
    const before = await details(bob, channel.id);
    for (const body of [{}, { color: "red" }, { name: "Not A Name" }, { topic: "t".repeat(251) }, { name: null }]) {
      expectError(await patch(bob, channel.id, body), 400, "bad_request");
    }
    expect(await details(bob, channel.id)).toEqual(before);
  });

  it("archives a channel: read-only, still readable and listed for its members, gone from the directory", async () => {
    const channel = await bobsChannel();
    const [bobSocket, carolSocket] = [await connect(bob), await connect(carol)];
    const first = await sendMessage(carolSocket, channel.id, "before the archive");
    const carolHears = captureChanges(carolSocket, "conversation");

    expectError(await as(carol).post(`/api/conversations/${channel.id}/archive`), 403, "forbidden");
    const archived = expectBody(await as(bob).post(`/api/conversations/${channel.id}/archive`), 200, updatedSchema);
    expect(archived.conversation.archived).toBe(true);
    expect((await carolHears.waitFor(1))[0]?.data).toEqual({
      kind: "conversation",
      conversation: archived.conversation,
    });

    const refused = await emitWithAck(bobSocket, "message:send", {
      conversationId: channel.id,
      clientMessageId: randomUUID(),
      text: "too late",
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const overHttp = await as(carol).post(`/api/conversations/${channel.id}/messages`, {
      clientMessageId: randomUUID(),
      text: "too late",
    });
    expectError(overHttp, 403, "forbidden");
    expectError(await patch(carol, channel.id, { topic: "still here?" }), 403, "forbidden");
    expectError(await as(dave).post(`/api/conversations/${channel.id}/join`), 403, "forbidden");

    expect(await fullHistory(server.url, carol.cookie, channel.id)).toEqual([first]);
    expect(await details(carol, channel.id)).toEqual(archived.conversation);
    expect((await myConversations(server.url, carol.cookie)).find((c) => c.id === channel.id)).toMatchObject({
      archived: true,
    });
    expect((await channelDirectory(server.url, dave.cookie)).map((c) => c.id)).not.toContain(channel.id);
    // Its members find it again among the archived channels they are in; nobody else does.
    const archivedFor = async (user: SignedInUser) =>
      (await channelDirectory(server.url, user.cookie, { archived: true })).map((c) => c.id);
    expect(await archivedFor(carol)).toContain(channel.id);
    expect(await archivedFor(dave)).not.toContain(channel.id);
    expectError(await as(carol).get("/api/channels?archived=maybe"), 400, "bad_request");

    // The admin may bring it back; then it takes messages again.
    expectError(await as(carol).request("DELETE", `/api/conversations/${channel.id}/archive`), 403, "forbidden");
    const back = expectBody(
      await as(admin).request("DELETE", `/api/conversations/${channel.id}/archive`),
      200,
      updatedSchema,
    );
    expect(back.conversation.archived).toBe(false);
    expect((await sendMessage(bobSocket, channel.id, "back again")).seq).toBe(first.seq + 1);
    expect((await channelDirectory(server.url, dave.cookie)).map((c) => c.id)).toContain(channel.id);
  });

  it("never archives #general or makes it private, not even for the admin", async () => {
    const general = await generalId(server.url, admin.cookie);
    expectError(await as(admin).post(`/api/conversations/${general}/archive`), 403, "forbidden");
    expectError(await as(admin).post(`/api/conversations/${general}/private`), 403, "forbidden");
    expect(await details(bob, general)).toMatchObject({ archived: false, isPrivate: false, isDefault: true });
  });

  it("lets only an admin in it make a public channel private, which hides it from everyone else", async () => {
    const channel = await bobsChannel();
    const carolHears = captureChanges(await connect(carol), "conversation");

    for (const member of [bob, carol]) {
      expectError(await as(member).post(`/api/conversations/${channel.id}/private`), 403, "forbidden");
    }
    // An admin outside it would lose it the moment it turned private: they join first.
    expectError(await as(admin).post(`/api/conversations/${channel.id}/private`), 403, "forbidden");
    expect((await details(dave, channel.id)).isPrivate).toBe(false);
    await joinChannel(server.url, admin.cookie, channel.id);
    await carolHears.waitFor(1);

    const res = await as(admin).post(`/api/conversations/${channel.id}/private`);
    const { conversation } = expectBody(res, 200, updatedSchema);
    expect(conversation.isPrivate).toBe(true);
    expect((await carolHears.waitFor(2))[1]?.data).toEqual({ kind: "conversation", conversation });

    expectError(await as(dave).get(`/api/conversations/${channel.id}`), 404, "not_found");
    expectError(await as(dave).post(`/api/conversations/${channel.id}/join`), 404, "not_found");
    expect((await channelDirectory(server.url, dave.cookie)).map((c) => c.id)).not.toContain(channel.id);
    expect(await details(admin, channel.id)).toEqual(conversation);
    expect(await details(carol, channel.id)).toEqual(conversation);
  });

  it("keeps the member count right through joins, leaves, additions and removals, also at the same moment", async () => {
    const channel = await bobsChannel();
    const people = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signUpAndSignIn(server.url, { name: `P${i}` })),
    );
    const expectCount = async (count: number) => {
      const res = await as(bob).get(`/api/conversations/${channel.id}/members`);
      const { members } = expectBody(res, 200, z.object({ members: z.array(personSchema) }));
      expect(members).toHaveLength(count);
      expect((await details(bob, channel.id)).memberCount).toBe(count);
      expect((await myConversations(server.url, bob.cookie)).find((c) => c.id === channel.id)?.memberCount).toBe(count);
      expect((await channelDirectory(server.url, dave.cookie)).find((c) => c.id === channel.id)?.memberCount).toBe(
        count,
      );
      if (sql) expect(await countedMembers(sql, channel.id)).toBe(count);
    };
    const leave = (user: SignedInUser) => as(user).post(`/api/conversations/${channel.id}/leave`);
    const remove = (user: SignedInUser) =>
      as(bob).request("DELETE", `/api/conversations/${channel.id}/members/${user.user.id}`);

    await expectCount(2);
    await Promise.all(people.map((p) => joinChannel(server.url, p.cookie, channel.id)));
    await expectCount(8);
    // Joining again, or adding someone already in, changes nothing.
    await joinChannel(server.url, people[0]!.cookie, channel.id);
    await addMembers(server.url, bob.cookie, channel.id, [people[1]!.user.id, dave.user.id]);
    await expectCount(9);
    const outcomes = await Promise.all([
      leave(people[0]!),
      leave(people[1]!),
      remove(people[2]!),
      remove(people[3]!),
      leave(people[3]!),
      joinChannel(server.url, admin.cookie, channel.id),
    ]);
    expect(outcomes.slice(0, 3).map((r) => "status" in r && r.status)).toEqual([204, 204, 204]);
    // People[3] was removed and left at the same moment: whichever comes second finds them gone.
    const [removed, left] = outcomes.slice(3, 5).map((r) => ("status" in r ? r.status : 0));
    expect([removed, left]).toContainEqual(204);
    expect(removed === 404 || left === 403).toBe(true);
    await expectCount(6);
    expectError(await leave(people[0]!), 403, "forbidden");
    await expectCount(6);
  });
});
