import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { myConversations, openDirect, sendMessage } from "../helpers/chat";
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
});
