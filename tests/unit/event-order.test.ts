import { describe, expect, it } from "vitest";
import type { Change, Message } from "@/lib/protocol";
import type { ConversationEvent } from "@/server/realtime/conversation-event";
import {
  eventOrder,
  HOLD_LIMIT_MS,
  LINGER_MS,
  segments,
  type Outgoing,
  type Segment,
} from "@/server/realtime/event-order";

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
    deletedAt: null,
    reactions: [],
    linkPreview: null,
    thread: null,
    alsoSentFrom: null,
  };
}

/** A message's sequence number, or a change's position in its stream. */
const seqOf = (event: ConversationEvent) => ("message" in event ? event.message.seq : event.change.seq);

/** A read position change in a user's stream at position `seq`, made when `atSeq` was the newest message. */
function readChange(conversationId: string, seq: number, atSeq: number): Change {
  return {
    scope: "user",
    streamId: "00000000-0000-4000-8000-000000000001",
    seq,
    atSeq,
    data: { kind: "read", conversationId, lastReadSeq: atSeq },
  };
}

/** A reaction change in conversation A's stream at position `seq`. */
function reactionChange(seq: number, atSeq: number): Change {
  return {
    scope: "conversation",
    streamId: A,
    seq,
    atSeq,
    data: { kind: "reactions", conversationId: A, seq: 1, reactions: [] },
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
  const groups = eventOrder({
    emit: (conversationId, segments: Segment[]) => {
      const group = segments.flatMap((s): Outgoing[] => ("messages" in s ? s.messages : [s.change]));
      emitted.push({ conversationId, seqs: group.map(seqOf), relayed: group.map((c) => c.relayed === true) });
    },
    publish: (events) => published.push(events.map(seqOf)),
    sendsStoring: (conversationId) => storing.get(conversationId),
  });
  return { groups, emitted, published };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("eventOrder", () => {
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
    groups.relayed([{ message: message(A, 3) }, { message: message(A, 4) }]);
    await turn();
    expect(emitted).toEqual([{ conversationId: A, seqs: [3, 4], relayed: [true, true] }]);
    expect(published).toEqual([]);
  });

  it("holds relayed messages of a conversation it is storing, and emits them with the batch's, in order", async () => {
    const batch = sendBatch();
    const storing = new Map([[A, batch.ended]]);
    const { groups, emitted, published } = setUp(storing);
    groups.relayed([{ message: message(A, 5) }, { message: message(B, 9) }]);
    await turn();
    expect(emitted).toEqual([{ conversationId: B, seqs: [9], relayed: [true] }]);

    // Later relayed messages of A queue behind the held one, even once A is no longer being stored.
    storing.delete(A);
    groups.relayed([{ message: message(A, 6) }]);
    await turn();
    expect(emitted).toHaveLength(1);

    // The batch ends; its messages are reported in the same turn, as send-message does.
    batch.end();
    await batch.ended;
    groups.stored({ message: message(A, 4), except: "socket-2" });
    await turn();
    expect(emitted[1]).toEqual({ conversationId: A, seqs: [4, 5, 6], relayed: [false, true, true] });
    expect(published).toEqual([[4]]);

    groups.relayed([{ message: message(A, 8) }]);
    await turn();
    expect(emitted[2]).toEqual({ conversationId: A, seqs: [8], relayed: [true] });
  });

  it("lets relayed messages go after HOLD_LIMIT_MS when the send batch does not end", async () => {
    const stuck = sendBatch();
    const { groups, emitted } = setUp(new Map([[A, stuck.ended]]));
    groups.relayed([{ message: message(A, 10) }]);
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
    groups.relayed([{ message: message(A, 11) }]);
    groups.stored({ message: message(B, 3) });
    groups.stop();
    batch.end();
    await batch.ended;
    await new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS * 1.5));
    expect(emitted).toEqual([]);
  });

  it("keeps changes behind the held messages of their conversation, relayed or this server's own", async () => {
    const batch = sendBatch();
    const { groups, emitted, published } = setUp(new Map([[A, batch.ended]]));
    groups.relayed([{ message: message(A, 5) }, { change: readChange(A, 100, 5) }]);
    groups.changed({ change: readChange(A, 101, 5) });
    groups.changed({ change: readChange(B, 102, 0) });
    await turn();
    expect(emitted).toEqual([{ conversationId: B, seqs: [102], relayed: [false] }]);

    batch.end();
    await batch.ended;
    groups.stored({ message: message(A, 4) });
    await turn();
    expect(emitted[1]).toEqual({ conversationId: A, seqs: [4, 5, 100, 101], relayed: [false, true, true, false] });
    expect(published).toEqual([[102], [101, 4]]);
  });

  it("puts messages and changes in commit order and cuts message runs at changes", () => {
    const out = segments([
      { message: message(A, 3) },
      { change: readChange(A, 8, 3) },
      { message: message(A, 2) },
      { change: readChange(A, 7, 3) },
      { message: message(A, 4) },
    ]);
    expect(
      out.map((s) => ("messages" in s ? s.messages.map((m) => m.message.seq) : `change ${s.change.change.seq}`)),
    ).toEqual([[2, 3], "change 8", "change 7", [4]]);
  });

  it("holds a reaction for company, so that a burst goes out as one group, in order, with what came meanwhile", async () => {
    const { groups, emitted, published } = setUp();
    groups.changed({ change: reactionChange(1, 1) });
    groups.changed({ change: reactionChange(2, 1) });
    groups.stored({ message: message(A, 2) });
    groups.relayed([{ change: reactionChange(3, 2) }]);
    groups.stored({ message: message(B, 9) });
    await turn();
    // The other conversation waits for nothing.
    expect(emitted).toEqual([{ conversationId: B, seqs: [9], relayed: [false] }]);
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS + 20));
    expect(emitted.slice(1)).toEqual([{ conversationId: A, seqs: [1, 2, 2, 3], relayed: [false, false, false, true] }]);
    expect(published.at(-1)).toEqual([1, 2, 2]);
    groups.stop();
  });
});
