import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { FeedClient } from "../helpers/feed-client";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { captureChanges, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

/**
 * A UUID names the same conversation in capitals as in lower case (PostgreSQL reads both), so a
 * client that writes one in capitals must change the conversation everyone else holds: its changes
 * go to the conversation's room and into its feed under the one name every client knows it by.
 */
describe("a conversation named in capitals", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;
  let bobPhone: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("caps"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
    bobPhone = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    for (const socket of [aliceSocket, bobSocket, bobPhone]) socket?.close();
    await server?.close();
  });

  it("reaches every member live with its edits, deletions, reactions and read positions, as a fresh load shows them", async () => {
    const capitals = channel.toUpperCase();
    const edited = await sendMessage(aliceSocket, channel, "to be edited");
    const deleted = await sendMessage(aliceSocket, channel, "to be deleted");
    const bobFeed = await FeedClient.load(server.url, bob.cookie, bob.user.id);
    await bobFeed.connect();
    const heard = captureChanges(bobSocket);
    const phoneHeard = captureChanges(bobPhone, "read");

    const acks = [
      await emitWithAck(aliceSocket, "reaction:add", { conversationId: capitals, seq: edited.seq, emoji: "🎉" }),
      await emitWithAck(aliceSocket, "message:edit", { conversationId: capitals, seq: edited.seq, text: "edited" }),
      await emitWithAck(aliceSocket, "message:delete", { conversationId: capitals, seq: deleted.seq }),
      await emitWithAck(bobSocket, "conversation:read", { conversationId: capitals, seq: deleted.seq }),
    ];
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true]);

    const changes = await heard.waitFor(3);
    expect(changes.map((c) => [c.streamId, c.data.kind])).toEqual([
      [channel, "reactions"],
      [channel, "message"],
      [channel, "message"],
    ]);
    expect(changes.map((c) => ("conversationId" in c.data ? c.data.conversationId : c.data.kind))).toEqual([
      channel,
      "message",
      "message",
    ]);
    const [read] = await phoneHeard.waitFor(1);
    expect(read!.data).toEqual({ kind: "read", conversationId: channel, lastReadSeq: deleted.seq });

    const fresh = await FeedClient.freshState(server.url, bob.cookie, bob.user.id);
    await expect
      .poll(async () => {
        await bobFeed.idle();
        return bobFeed.state();
      })
      .toEqual(fresh);
    bobFeed.disconnect();
  });

  it("answers a resend in capitals with the message stored", async () => {
    const clientMessageId = randomUUID();
    const stored = await sendMessage(aliceSocket, channel, "once", clientMessageId);
    const again = await emitWithAck(aliceSocket, "message:send", {
      conversationId: channel.toUpperCase(),
      clientMessageId,
      text: "once",
    });
    expect(again).toEqual({ ok: true, data: stored });
  });
});
