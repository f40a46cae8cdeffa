import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, fullHistory, sendMessage, uniqueChannelName } from "../helpers/chat";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

// PGlite runs one transaction at a time, in the order the socket's events came: the race needs PostgreSQL.
describe.skipIf(!process.env.TEST_DATABASE_URL)("a reaction pill tapped twice quickly", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let socket: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("toggle"))).id;
    socket = await connectSocket(server.url, alice.cookie);
  });
  afterAll(async () => {
    socket?.close();
    await server?.close();
  });

  it("ends as the last toggle sent on the socket says", async () => {
    const reacted: number[] = [];
    for (let round = 0; round < 20; round++) {
      const sent = await sendMessage(socket, channel, `tap ${round}`);
      const ref = { conversationId: channel, seq: sent.seq, emoji: "👍" };
      // What the browser sends for a double tap: add, then remove, on one socket, in that order.
      await Promise.all([emitWithAck(socket, "reaction:add", ref), emitWithAck(socket, "reaction:remove", ref)]);
      const stored = (await fullHistory(server.url, alice.cookie, channel)).find((m) => m.seq === sent.seq)!;
      if (stored.reactions.length > 0) reacted.push(round);
    }
    expect(reacted).toEqual([]);
  });
});
