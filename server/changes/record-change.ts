import { eq, sql } from "drizzle-orm";
import { changeDataSchema, type Change, type ChangeData } from "@/lib/protocol";
import { changes, changeStreams, conversations } from "@/drizzle/schema";
import type { Tx } from "@/server/db/client";

/**
 * Stores a change in its stream, inside the transaction that makes it. The
 * stream's counter row stays locked until that transaction ends, so a
 * stream's changes commit in the order of their numbers, and a reader that has
 * seen number n has seen every change before it.
 */
export async function recordChange(
  tx: Tx,
  scope: Change["scope"],
  streamId: string,
  given: ChangeData,
): Promise<Change> {
  // Parsing keeps only what the schema names: a caller that hands in a whole row (a user's, with their
  // password hash) cannot put more than a name into what every member reads.
  const data = changeDataSchema.parse(given);
  // Read before the stream's row is locked, which then stays locked only for the insert and the commit:
  // in a storm of reactions every change of the conversation waits for that lock. Messages stored
  // meanwhile go before the change; an event about a message is made after the message, so never before it.
  const [conversation] = await tx
    .select({ lastSeq: conversations.lastSeq, parentId: conversations.parentId })
    .from(conversations)
    .where(eq(conversations.id, conversationOf(data)));
  const atSeq = conversation?.lastSeq ?? 0;
  const [stream] = await tx
    .insert(changeStreams)
    .values({ id: streamId, lastSeq: 1 })
    .onConflictDoUpdate({ target: changeStreams.id, set: { lastSeq: sql`${changeStreams.lastSeq} + 1` } })
    .returning({ seq: changeStreams.lastSeq });
  if (!stream) throw new Error("Change stream upsert returned nothing");
  await tx
    .insert(changes)
    .values({ streamId, key: keyOf(data), seq: stream.seq, atSeq, data })
    .onConflictDoUpdate({
      target: [changes.streamId, changes.key],
      set: { seq: stream.seq, atSeq, data, changedAt: sql`now()` },
    });
  const parentId = scope === "conversation" ? conversation?.parentId : null;
  return { scope, streamId, seq: stream.seq, atSeq, data, ...(parentId ? { parentId } : {}) };
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
