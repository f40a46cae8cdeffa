import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatStore } from "@/lib/client/engine/slices";
import { createChannel, fullHistory, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { captureChanges, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

// PGlite runs one transaction at a time, so the two edits never overlap there: the race needs PostgreSQL.
describe.skipIf(!process.env.TEST_DATABASE_URL)("two devices editing one message at once", () => {
  let server: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let laptop: ClientSocket;
  let phone: ClientSocket;
  let reader: ClientSocket;
  let channel: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("race"))).id;
    await joinChannel(server.url, bob.cookie, channel);
    laptop = await connectSocket(server.url, alice.cookie);
    phone = await connectSocket(server.url, alice.cookie);
    reader = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    for (const socket of [laptop, phone, reader]) socket?.close();
    await server?.close();
  });

  it("leave a member who applies the feed's changes in order showing what history shows", async () => {
    const stale: string[] = [];
    for (let round = 0; round < 20; round++) {
      const sent = await sendMessage(laptop, channel, `draft ${round}`);
      const heard = captureChanges(reader, "message");
      await Promise.all([
        emitWithAck(laptop, "message:edit", { conversationId: channel, seq: sent.seq, text: `laptop ${round}` }),
        emitWithAck(phone, "message:edit", { conversationId: channel, seq: sent.seq, text: `phone ${round}` }),
      ]);
      const changes = await heard.waitFor(2);
      // As the browser applies them: each change of the feed, in order, through the chat's store.
      const store = createChatStore();
      store.dispatch({ type: "history-loaded", conversationId: channel, messages: [sent] });
      for (const change of changes) {
        if (change.data.kind === "message") {
          store.dispatch({ type: "message-changed", message: change.data.message, changeSeq: change.seq });
        }
      }
      // And a history page read between the two edits, arriving last: it may not undo the later one.
      const stored = (await fullHistory(server.url, bob.cookie, channel)).find((m) => m.seq === sent.seq)!;
      const first = changes.find((c) => c.data.kind === "message")!;
      if (first.data.kind === "message") {
        store.dispatch({ type: "history-loaded", conversationId: channel, messages: [first.data.message] });
      }
      const shown = store.getState().messages[channel]!.messages;
      if (shown[0]!.text !== stored.text) {
        const editedAts = changes.map((c) => (c.data.kind === "message" ? c.data.message.editedAt : null));
        stale.push(
          `round ${round}: shows "${shown[0]!.text}", history "${stored.text}"; editedAt in feed order ${editedAts}`,
        );
      }
    }
    expect(stale).toEqual([]);
  });
});
