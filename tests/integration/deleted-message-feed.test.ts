import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { changePageOf, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

describe("a deleted message in the change feed", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("erased"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await server?.close();
  });

  it("keeps nothing of its reactions for a member catching up from before it", async () => {
    const sent = await sendMessage(aliceSocket, channel, "secret plans");
    await emitWithAck(bobSocket, "reaction:add", { conversationId: channel, seq: sent.seq, emoji: "🔥" });
    const deleted = await emitWithAck(aliceSocket, "message:delete", { conversationId: channel, seq: sent.seq });
    expect(deleted.ok).toBe(true);
    const page = await emitWithAck(bobSocket, "changes:list", { streams: [{ id: channel, after: 0 }] });
    if (!page.ok) throw new Error(page.error.message);
    const kept = changePageOf(page.data).streams[0]!.changes.flatMap((c) =>
      c.data.kind === "reactions" && c.data.seq === sent.seq ? c.data.reactions : [],
    );
    // deleteMessage erases the text "from storage with its reactions": the feed should not still say who reacted.
    expect(kept).toEqual([]);
  });
});
