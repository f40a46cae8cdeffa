import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { HOLD_LIMIT_MS, messageGroups, type Created } from "@/server/realtime/message-groups";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

function message(conversationId: string, seq: number): Message {
  return {
    id: `${conversationId}-${seq}`,
    conversationId,
    seq,
    sender: { id: "00000000-0000-4000-8000-000000000001", name: "Ann" },
    clientMessageId: "00000000-0000-4000-8000-000000000002",
    text: `message ${seq}`,
    createdAt: "2026-12-04T00:00:00.000Z",
    editedAt: null,
  };
}

/** A send batch of this server that ends when the test says so. */
function sendBatch() {
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { ended, end };
}

function setUp(storing: Map<string, Promise<void>> = new Map()) {
  const emitted: { conversationId: string; seqs: number[]; relayed: boolean[] }[] = [];
  const published: number[][] = [];
  const groups = messageGroups({
    emit: (conversationId, group: Created[]) =>
      emitted.push({
        conversationId,
        seqs: group.map((c) => c.message.seq),
        relayed: group.map((c) => c.relayed === true),
      }),
    publish: (messages) => published.push(messages.map((m) => m.seq)),
    sendsStoring: (conversationId) => storing.get(conversationId),
  });
  return { groups, emitted, published };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("messageGroups", () => {
  it("emits a turn's messages once it ends, one group per conversation, and publishes them once", async () => {
    const { groups, emitted, published } = setUp();
    groups.stored({ message: message(A, 1), except: "socket-1" });
    groups.stored({ message: message(B, 7) });
    groups.stored({ message: message(A, 2) });
    expect(emitted).toEqual([]);
    await turn();
    expect(emitted).toEqual([
      { conversationId: A, seqs: [1, 2], relayed: [false, false] },
      { conversationId: B, seqs: [7], relayed: [false] },
    ]);
    expect(published).toEqual([[1, 2, 7]]);
  });

  it("emits relayed messages of a conversation it is not storing at once, without publishing them again", async () => {
    const { groups, emitted, published } = setUp();
    groups.relayed([message(A, 3), message(A, 4)]);
    await turn();
    expect(emitted).toEqual([{ conversationId: A, seqs: [3, 4], relayed: [true, true] }]);
    expect(published).toEqual([]);
  });

  it("holds relayed messages of a conversation it is storing, and emits them with the batch's, in order", async () => {
    const batch = sendBatch();
    const storing = new Map([[A, batch.ended]]);
    const { groups, emitted, published } = setUp(storing);
    groups.relayed([message(A, 5), message(B, 9)]);
    await turn();
    expect(emitted).toEqual([{ conversationId: B, seqs: [9], relayed: [true] }]);

    // Later relayed messages of A queue behind the held one, even once A is no longer being stored.
    storing.delete(A);
    groups.relayed([message(A, 6)]);
    await turn();
    expect(emitted).toHaveLength(1);

    // The batch ends; its messages are reported in the same turn, as send-message does.
    batch.end();
    await batch.ended;
    groups.stored({ message: message(A, 4), except: "socket-2" });
    await turn();
    expect(emitted[1]).toEqual({ conversationId: A, seqs: [4, 5, 6], relayed: [false, true, true] });
    expect(published).toEqual([[4]]);

    groups.relayed([message(A, 8)]);
    await turn();
    expect(emitted[2]).toEqual({ conversationId: A, seqs: [8], relayed: [true] });
  });

  it("lets relayed messages go after HOLD_LIMIT_MS when the send batch does not end", async () => {
    const stuck = sendBatch();
    const { groups, emitted } = setUp(new Map([[A, stuck.ended]]));
    groups.relayed([message(A, 10)]);
    await new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS / 2));
    expect(emitted).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS));
    expect(emitted).toEqual([{ conversationId: A, seqs: [10], relayed: [true] }]);

    // The batch ending later releases nothing twice.
    stuck.end();
    await stuck.ended;
    await turn();
    expect(emitted).toHaveLength(1);
  });

  it("emits nothing held or pending once stopped", async () => {
    const batch = sendBatch();
    const { groups, emitted } = setUp(new Map([[A, batch.ended]]));
    groups.relayed([message(A, 11)]);
    groups.stored({ message: message(B, 3) });
    groups.stop();
    batch.end();
    await batch.ended;
    await new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS * 1.5));
    expect(emitted).toEqual([]);
  });
});
