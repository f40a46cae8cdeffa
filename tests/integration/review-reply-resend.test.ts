import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, fullHistory, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

/**
 * A resend (the outbox after a lost acknowledgement) is answered with the reply stored, as a resend of
 * a message is, whatever happened since: an error would leave the outbox holding a failed reply that
 * everyone else sees in the thread.
 */
describe("a reply sent again with its clientMessageId", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;

  const channelOfTwo = async () => {
    const id = (await createChannel(server.url, alice.cookie, uniqueChannelName("resend"))).id;
    await joinChannel(server.url, bob.cookie, id);
    return id;
  };
  const reply = (conversationId: string, rootSeq: number, clientMessageId: string) =>
    emitWithAck(bobSocket, "thread:reply", { conversationId, rootSeq, clientMessageId, text: "on my way" });

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await server?.close();
  });

  it("is answered with the stored reply after its message was deleted", async () => {
    const channel = await channelOfTwo();
    const root = await sendMessage(aliceSocket, channel, "who is coming?");
    const clientMessageId = randomUUID();
    const stored = await reply(channel, root.seq, clientMessageId);
    expect(stored.ok).toBe(true);
    expect((await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: root.seq })).ok).toBe(
      true,
    );

    expect(await reply(channel, root.seq, clientMessageId)).toEqual(stored);
    const thread = stored.ok ? stored.data.conversationId : "";
    expect((await fullHistory(server.url, alice.cookie, thread)).map((m) => m.text)).toEqual(["on my way"]);
  });

  it("is answered with the stored reply after its sender left the channel", async () => {
    const channel = await channelOfTwo();
    const root = await sendMessage(aliceSocket, channel, "who is coming?");
    const clientMessageId = randomUUID();
    const stored = await reply(channel, root.seq, clientMessageId);
    expect(stored.ok).toBe(true);
    expect((await api(server.url, bob.cookie).post(`/api/conversations/${channel}/leave`)).status).toBe(204);

    expect(await reply(channel, root.seq, clientMessageId)).toEqual(stored);
  });

  it("is refused when it names another message than the one it was stored for", async () => {
    const channel = await channelOfTwo();
    const root = await sendMessage(aliceSocket, channel, "who is coming?");
    const other = await sendMessage(aliceSocket, channel, "and who brings food?");
    const clientMessageId = randomUUID();
    expect((await reply(channel, root.seq, clientMessageId)).ok).toBe(true);

    expect(await reply(channel, other.seq, clientMessageId)).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect((await fullHistory(server.url, alice.cookie, channel)).find((m) => m.seq === other.seq)?.thread).toBeNull();
  });
});
