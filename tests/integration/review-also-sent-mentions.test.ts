import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mentionPageSchema } from "@/lib/protocol";
import { createChannel, fullHistory, joinChannel, sendMessage, sidebar, uniqueChannelName } from "../helpers/chat";
import { api, expectBody, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

/**
 * A reply "also sent to the channel" is a message of the channel too: what it says there mentions
 * people as any message there does, and what the channel refuses to a message it refuses to the copy.
 */
describe("a reply also sent to the channel", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  let bobSocket: ClientSocket;
  let aliceSocket: ClientSocket;

  const channelOfThree = async () => {
    const id = (await createChannel(server.url, alice.cookie, uniqueChannelName("also"))).id;
    await joinChannel(server.url, bob.cookie, id);
    await joinChannel(server.url, carol.cookie, id);
    return id;
  };
  const replyAlsoSent = (conversationId: string, rootSeq: number, text: string) =>
    emitWithAck(bobSocket, "thread:reply", {
      conversationId,
      rootSeq,
      clientMessageId: randomUUID(),
      text,
      alsoToChannel: true,
    });

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await server?.close();
  });

  it("mentions the people its copy names in the channel, counted there, and listed once, as the reply", async () => {
    const channel = await channelOfThree();
    const root = await sendMessage(aliceSocket, channel, "who reviews?");
    expect((await replyAlsoSent(channel, root.seq, `<@${carol.user.id}> could you?`)).ok).toBe(true);
    const copy = (await fullHistory(server.url, carol.cookie, channel)).find((m) => m.alsoSentFrom !== null);
    expect(copy?.text).toBe(`<@${carol.user.id}> could you?`);

    const mine = (await sidebar(server.url, carol.cookie)).conversations.find((c) => c.id === channel);
    expect(mine?.mentionSeqs).toEqual([copy!.seq]);
    const page = expectBody(await api(server.url, carol.cookie).get("/api/mentions"), 200, mentionPageSchema);
    const listed = page.mentions.map((m) => [m.message.conversationId, m.message.seq, m.inThread]);
    expect(listed).not.toContainEqual([channel, copy!.seq, null]);
    expect(listed).toContainEqual([copy!.alsoSentFrom!.threadId, 1, { parentId: channel, rootSeq: root.seq }]);
  });

  it("calls the channel with @channel as a message there does", async () => {
    const channel = await channelOfThree();
    const root = await sendMessage(aliceSocket, channel, "standup?");
    expect((await replyAlsoSent(channel, root.seq, "<!channel> standup now")).ok).toBe(true);
    const copy = (await fullHistory(server.url, carol.cookie, channel)).find((m) => m.alsoSentFrom !== null);
    const mine = (await sidebar(server.url, carol.cookie)).conversations.find((c) => c.id === channel);
    expect(mine?.mentionSeqs).toEqual([copy!.seq]);
  });

  it("is refused with @channel where the channel keeps it for its creator and admins, storing nothing", async () => {
    const channel = await channelOfThree();
    const restricted = await api(server.url, alice.cookie).request("PATCH", `/api/conversations/${channel}`, {
      json: { mentionsRestricted: true },
    });
    expect(restricted.status).toBe(200);
    const root = await sendMessage(aliceSocket, channel, "release at five");
    const before = await fullHistory(server.url, carol.cookie, channel);

    const ack = await replyAlsoSent(channel, root.seq, "<!channel> release is late");
    expect(ack).toEqual({
      ok: false,
      error: {
        code: "forbidden",
        message: expect.stringContaining("can use @channel and @here there") as string,
      },
    });
    const after = await fullHistory(server.url, carol.cookie, channel);
    expect(after).toEqual(before);
    expect(after.find((m) => m.seq === root.seq)?.thread).toBeNull();
  });
});
