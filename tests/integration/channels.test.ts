import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { conversationSchema } from "@/lib/protocol";
import {
  channelDirectory,
  createChannel,
  generalId,
  joinChannel,
  myConversations,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { api, expectBody, expectError, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { captureChanges, captureMessages, connectSocket, joinedOrLeft, type ClientSocket } from "../helpers/socket";

describe("channels", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it("creates a channel with its creator as the only member, and tells the creator's sockets", async () => {
    const aliceSocket = await connect(alice);
    const joined = captureChanges(aliceSocket, "membership");
    const name = uniqueChannelName("plans");

    const res = await api(server.url, alice.cookie).post("/api/channels", { name, topic: "  Roadmap  " });
    const { conversation } = expectBody(res, 201, z.object({ conversation: conversationSchema }));
    expect(conversation).toMatchObject({ kind: "channel", name, topic: "Roadmap", isPrivate: false, lastSeq: 0 });

    expect(joinedOrLeft(await joined.waitFor(1))).toEqual([conversation]);
    expect((await myConversations(server.url, alice.cookie)).map((c) => c.id)).toContain(conversation.id);
    const listing = (await channelDirectory(server.url, alice.cookie)).find((c) => c.id === conversation.id);
    expect(listing).toEqual({
      id: conversation.id,
      name,
      topic: "Roadmap",
      isPrivate: false,
      archived: false,
      memberCount: 1,
      isMember: true,
    });
  });

  it("accepts a name of exactly 80 characters", async () => {
    const name = `c${randomUUID().replaceAll("-", "")}`.padEnd(80, "x");
    expect((await createChannel(server.url, alice.cookie, name)).name).toBe(name);
  });

  it.each([
    ["uppercase letters", "Plans"],
    ["a space", "team plans"],
    ["an empty name", ""],
    ["81 characters", "a".repeat(81)],
    ["a leading hyphen", "-plans"],
    ["punctuation", "plans!"],
  ])("refuses a name with %s", async (_, name) => {
    const before = await channelDirectory(server.url, alice.cookie);
    expectError(await api(server.url, alice.cookie).post("/api/channels", { name }), 400, "bad_request");
    expect(await channelDirectory(server.url, alice.cookie)).toEqual(before);
  });

  it("refuses a missing name and a topic over 250 characters", async () => {
    expectError(await api(server.url, alice.cookie).post("/api/channels", { topic: "x" }), 400, "bad_request");
    const res = await api(server.url, alice.cookie).post("/api/channels", {
      name: uniqueChannelName(),
      topic: "t".repeat(251),
    });
    expectError(res, 400, "bad_request");
  });

  it("refuses a duplicate name", async () => {
    const name = uniqueChannelName("dup");
    await createChannel(server.url, alice.cookie, name);
    expectError(await api(server.url, bob.cookie).post("/api/channels", { name }), 409, "conflict");
    expect((await channelDirectory(server.url, bob.cookie)).filter((c) => c.name === name)).toHaveLength(1);
  });

  it("lets exactly one of several concurrent creations of a name win", async () => {
    const name = uniqueChannelName("race");
    const results = await Promise.all(
      [alice, bob, alice, bob, alice].map((user) => api(server.url, user.cookie).post("/api/channels", { name })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await channelDirectory(server.url, alice.cookie)).filter((c) => c.name === name)).toHaveLength(1);
  });

  it("lets another person join and leave, telling each of their sockets and moving them in and out of the room", async () => {
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("join"));
    const aliceSocket = await connect(alice);
    const [bobLaptop, bobPhone] = [await connect(bob), await connect(bob)];
    const joinedOnLaptop = captureChanges(bobLaptop, "membership");
    const joinedOnPhone = captureChanges(bobPhone, "membership");

    const listingFor = async (user: SignedInUser) =>
      (await channelDirectory(server.url, user.cookie)).find((c) => c.id === channel.id);
    expect(await listingFor(bob)).toMatchObject({ memberCount: 1, isMember: false });

    const joined = await joinChannel(server.url, bob.cookie, channel.id);
    expect(joined).toMatchObject({ id: channel.id, name: channel.name });
    expect(joinedOrLeft(await joinedOnLaptop.waitFor(1))).toEqual([joined]);
    expect(joinedOrLeft(await joinedOnPhone.waitFor(1))).toEqual([joined]);
    expect(await listingFor(bob)).toMatchObject({ memberCount: 2, isMember: true });
    expect((await myConversations(server.url, bob.cookie)).map((c) => c.id)).toContain(channel.id);

    // Joining again is a no-op that succeeds and tells nobody.
    expect((await joinChannel(server.url, bob.cookie, channel.id)).id).toBe(channel.id);
    expect(await listingFor(bob)).toMatchObject({ memberCount: 2, isMember: true });

    // Bob's already-open sockets now hear the channel.
    const heardOnPhone = captureMessages(bobPhone);
    const hello = await sendMessage(aliceSocket, channel.id, "welcome, Bob");
    expect(await heardOnPhone.waitFor(1)).toEqual([hello]);
    expect(await joinedOnLaptop.settle()).toHaveLength(1);

    const leftOnLaptop = captureChanges(bobLaptop, "membership");
    const leave = await api(server.url, bob.cookie).post(`/api/conversations/${channel.id}/leave`);
    expect(leave.status).toBe(204);
    expect(joinedOrLeft((await leftOnLaptop.waitFor(1)).slice(-1))).toEqual([{ left: channel.id }]);
    expect(await listingFor(bob)).toMatchObject({ memberCount: 1, isMember: false });
    expect((await myConversations(server.url, bob.cookie)).map((c) => c.id)).not.toContain(channel.id);

    // Gone from the room, and no longer allowed to read or write.
    // Alice's other device witnesses the broadcast, so Bob's silence below means something.
    const aliceHears = captureMessages(await connect(alice));
    const afterLeaving = await sendMessage(aliceSocket, channel.id, "bye, Bob");
    expect(await aliceHears.waitFor(1)).toEqual([afterLeaving]);
    expect(await heardOnPhone.settle()).toEqual([hello]);
    const read = await api(server.url, bob.cookie).get(`/api/conversations/${channel.id}/messages`);
    expectError(read, 403, "forbidden");
  });

  it("lets nobody leave #general", async () => {
    const general = await generalId(server.url, bob.cookie);
    expectError(await api(server.url, bob.cookie).post(`/api/conversations/${general}/leave`), 403, "forbidden");
    expect((await myConversations(server.url, bob.cookie)).map((c) => c.id)).toContain(general);
  });

  it("answers 404 for an unknown channel and 400 for an id that is not a UUID", async () => {
    const bobApi = api(server.url, bob.cookie);
    expectError(await bobApi.post(`/api/conversations/${randomUUID()}/join`), 404, "not_found");
    expectError(await bobApi.post(`/api/conversations/${randomUUID()}/leave`), 404, "not_found");
    expectError(await bobApi.post("/api/conversations/general/join"), 400, "bad_request");
  });

  it("refuses to leave a channel one is not in", async () => {
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("notin"));
    expectError(await api(server.url, bob.cookie).post(`/api/conversations/${channel.id}/leave`), 403, "forbidden");
  });
});
