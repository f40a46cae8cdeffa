import { inArray, sql } from "drizzle-orm";
import { changeDataSchema, type Change, type ChangeData } from "@/lib/protocol";
import { changes, changeStreams, conversations } from "@/drizzle/schema";
import type { Tx } from "@/server/db/client";

/** A change to record: the stream it goes in, and what it says. */
export type Recording = { streamId: string; data: ChangeData };

/**
 * Stores changes in their streams, inside the transaction that makes them. Each stream's counter row
 * stays locked until that transaction ends, so a stream's changes commit in the order of their
 * numbers, and a reader that has seen number n has seen every change before it. The rows are locked
 * in id order, so that two transactions recording in some of the same streams cannot deadlock. However
 * many changes and streams, it is three statements: a reply that makes hundreds of people follow its
 * thread tells each of them in their own stream without a round trip per person.
 */
export async function recordChanges(tx: Tx, scope: Change["scope"], given: Recording[]): Promise<Change[]> {
  if (given.length === 0) return [];
  // Parsing keeps only what the schema names: a caller that hands in a whole row (a user's, with their
  // password hash) cannot put more than a name into what every member reads. Sorting is stable: each
  // stream's changes keep the order they were given in.
  const recordings = given
    .map(({ streamId, data }) => ({ streamId: streamId.toLowerCase(), data: changeDataSchema.parse(data) }))
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  // Read before the streams' rows are locked, which then stay locked only for the inserts and the commit:
  // in a storm of reactions every change of the conversation waits for that lock. Messages stored
  // meanwhile go before the change; an event about a message is made after the message, so never before it.
  const about = [...new Set(recordings.map(({ data }) => conversationOf(data).toLowerCase()))];
  const conversationRows = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq, parentId: conversations.parentId })
    .from(conversations)
    .where(inArray(conversations.id, about));
  const conversationById = new Map(conversationRows.map((row) => [row.id, row]));

  const counts = new Map<string, number>();
  for (const { streamId } of recordings) counts.set(streamId, (counts.get(streamId) ?? 0) + 1);
  const streams = await tx
    .insert(changeStreams)
    .values([...counts].map(([id, count]) => ({ id, lastSeq: count })))
    .onConflictDoUpdate({
      target: changeStreams.id,
      set: { lastSeq: sql`${changeStreams.lastSeq} + excluded.last_seq` },
    })
    .returning({ id: changeStreams.id, lastSeq: changeStreams.lastSeq });
  const next = new Map(streams.map(({ id, lastSeq }) => [id, lastSeq - counts.get(id)! + 1]));

  const recorded = recordings.map(({ streamId, data }): Change => {
    const seq = next.get(streamId);
    if (seq === undefined) throw new Error(`Change stream ${streamId} was not counted`);
    next.set(streamId, seq + 1);
    const conversation = conversationById.get(conversationOf(data).toLowerCase());
    const parentId = scope === "conversation" ? conversation?.parentId : null;
    return { scope, streamId, seq, atSeq: conversation?.lastSeq ?? 0, data, ...(parentId ? { parentId } : {}) };
  });
  // The feed keeps each thing's newest change: of two here about one thing, the later.
  const newest = new Map(recorded.map((change) => [`${change.streamId} ${keyOf(change.data)}`, change]));
  await tx
    .insert(changes)
    .values(
      [...newest.values()].map(({ streamId, seq, atSeq, data }) => ({ streamId, key: keyOf(data), seq, atSeq, data })),
    )
    .onConflictDoUpdate({
      target: [changes.streamId, changes.key],
      set: { seq: sql`excluded.seq`, atSeq: sql`excluded.at_seq`, data: sql`excluded.data`, changedAt: sql`now()` },
    });
  return recorded;
}

/** What a change is about: a later change of the same thing replaces it in the feed. */
function keyOf(data: ChangeData): string {
  switch (data.kind) {
    case "conversation":
      return "conversation";
    case "member":
      return `member:${data.userId}`;
    case "membership":
      return `membership:${data.conversationId}`;
    case "read":
      return `read:${data.conversationId}`;
    case "message":
      return `message:${data.message.seq}`;
    case "reactions":
      return `reactions:${data.seq}`;
    case "thread":
      return `thread:${data.seq}`;
    case "following":
      return `following:${data.conversationId}`;
  }
}

/** The conversation a change belongs to: its events travel in that conversation's order. */
export function conversationOf(data: ChangeData): string {
  switch (data.kind) {
    case "conversation":
      return data.conversation.id;
    case "message":
      return data.message.conversationId;
    default:
      return data.conversationId;
  }
}
