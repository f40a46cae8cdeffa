import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMembers,
  createChannel,
  joinChannel,
  myConversations,
  openDirect,
  sendMessage,
  uniqueChannelName,
} from "../helpers/chat";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, type ClientSocket } from "../helpers/socket";

describe("sidebar", () => {
  let server: TestServer;
  let carol: SignedInUser;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let socket: ClientSocket;

  beforeAll(async () => {
    server = await startTestServer();
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    socket = await connectSocket(server.url, carol.cookie);
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  it("lists a group's members by name, and when its newest message was sent", async () => {
    const group = await openDirect(server.url, carol.cookie, [bob.user.id, alice.user.id]);
    await sendMessage(socket, group.id, "first");
    const newest = await sendMessage(socket, group.id, "second");

    const listed = (await myConversations(server.url, carol.cookie)).find((c) => c.id === group.id);

    expect(listed?.members.map((m) => m.name)).toEqual(["Alice", "Bob", "Carol"]);
    expect(listed?.lastSeq).toBe(newest.seq);
    expect(listed?.lastMessageAt).toBe(newest.createdAt);
  });

  it("has no newest message for a conversation without messages", async () => {
    const dm = await openDirect(server.url, carol.cookie, [alice.user.id]);

    const listed = (await myConversations(server.url, carol.cookie)).find((c) => c.id === dm.id);

    expect(listed?.members.map((m) => m.name)).toEqual(["Alice", "Carol"]);
    expect(listed?.lastMessageAt).toBeNull();
  });

  it("gives each conversation exactly as the answers and changes built another way do", async () => {
    const group = await openDirect(server.url, carol.cookie, [alice.user.id, bob.user.id]);
    await sendMessage(socket, group.id, "third");
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("same"), { isPrivate: true });
    await addMembers(server.url, alice.cookie, channel.id, [carol.user.id]);
    const joinedAgain = await joinChannel(server.url, carol.cookie, channel.id);

    const listed = await myConversations(server.url, carol.cookie);

    expect(listed.find((c) => c.id === group.id)).toEqual(
      await openDirect(server.url, carol.cookie, [bob.user.id, alice.user.id]),
    );
    expect(listed.find((c) => c.id === channel.id)).toEqual(joinedAgain);
  });

  it("starts someone who joins or is added with everything already said read", async () => {
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("history"));
    const aliceSocket = await connectSocket(server.url, alice.cookie);
    try {
      for (const text of ["one", "two", "three"]) await sendMessage(aliceSocket, channel.id, text);
    } finally {
      aliceSocket.close();
    }
    expect(await joinChannel(server.url, bob.cookie, channel.id)).toMatchObject({ lastSeq: 3, lastReadSeq: 3 });
    await addMembers(server.url, alice.cookie, channel.id, [carol.user.id]);
    const added = (await myConversations(server.url, carol.cookie)).find((c) => c.id === channel.id);
    expect(added).toMatchObject({ lastSeq: 3, lastReadSeq: 3 });
  });
});
