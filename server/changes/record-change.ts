import { inArray, sql } from "drizzle-orm";
import { changeDataSchema, type Change, type ChangeData } from "@/lib/protocol";
import { conversations } from "@/drizzle/schema";
import { database, type Tx } from "@/server/db/client";

/** A change to record: its scope, the stream it goes in, and what it says. */
export type Recording = { scope: Change["scope"]; streamId: string; data: ChangeData };

/**
 * Checks a change, to be stored by `storeChanges` when the transaction that makes it ends. Parsing keeps
 * only what the schema names: a caller that hands in a whole row (a user's, with their password hash)
 * cannot put more than a name into what every member reads.
 */
export function stageChange({ scope, streamId, data }: Recording): Recording {
  return { scope, streamId: streamId.toLowerCase(), data: changeDataSchema.parse(data) };
}

/**
 * Numbers the transaction's changes in their streams, stores them, and commits. However many changes and
 * streams, it is one statement: a reply that makes hundreds of people follow its thread tells each of them
 * in their own stream without a round trip per person.
 *
 * Numbering locks each stream's counter row until the commit, so that a stream's changes commit in the
 * order of their numbers, and a reader that has seen number n has seen every change before it. The rows
 * are locked in id order, so that two transactions recording in some of the same streams cannot deadlock.
 * On PostgreSQL the statement and the COMMIT go as one simple query, which PostgreSQL runs through, so a
 * lock is held for no round trip to this process. Awaited apart, the answer waited for the event loop,
 * which a busy room's fan-out keeps busy, and every change of the conversation queued behind the lock: 200
 * edits in a second took 2.7 s to store (S10), and a micro-benchmark with a busy event loop committed 73 to
 * 91 such transactions a second, against 244 to 290 with the COMMIT sent along. A simple query takes no
 * parameters, hence the literals; one that fails stops before the COMMIT, and the transaction rolls back.
 * (Statements pipelined with parameters instead hung postgres.js when one of them failed.) PGlite runs
 * one statement at a time in this process, with no one to wait for: the transaction commits after it.
 */
export async function storeChanges(tx: Tx, staged: readonly Recording[]): Promise<Change[]> {
  // Sorting is stable: each stream's changes keep the order they were made in.
  const recordings = staged
    .map((recording, made) => ({ ...recording, made }))
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  // Read before the streams' rows are locked. Messages stored meanwhile go before the change; an event
  // about a message is made after the message, so never before it.
  const about = [...new Set(recordings.map(({ data }) => conversationOf(data).toLowerCase()))];
  const conversationRows = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq, parentId: conversations.parentId })
    .from(conversations)
    .where(inArray(conversations.id, about));
  const conversationById = new Map(conversationRows.map((row) => [row.id, row]));

  const counts = new Map<string, number>();
  const placed = recordings.map((recording) => {
    const order = (counts.get(recording.streamId) ?? 0) + 1;
    counts.set(recording.streamId, order);
    const conversation = conversationById.get(conversationOf(recording.data).toLowerCase());
    return { ...recording, order, key: keyOf(recording.data), atSeq: conversation?.lastSeq ?? 0, conversation };
  });
  // The feed keeps each thing's newest change: of two here about one thing, the later.
  const newest = new Map(placed.map((change) => [`${change.streamId} ${change.key}`, change]));
  const statement = `
    with counted (id, n) as (values ${[...counts].map(([id, n]) => `(${literal(id)}::uuid, ${n})`).join(", ")}),
    streams as (
      insert into change_streams (id, last_seq) select id, n from counted order by id
      on conflict (id) do update set last_seq = change_streams.last_seq + excluded.last_seq
      returning id, last_seq),
    given (stream_id, key, n, at_seq, data) as (values ${[...newest.values()]
      .map(
        (c) =>
          `(${literal(c.streamId)}::uuid, ${literal(c.key)}, ${c.order}, ${Math.trunc(c.atSeq)}::bigint, ${literal(JSON.stringify(c.data))}::jsonb)`,
      )
      .join(", ")}),
    stored as (
      insert into changes (stream_id, key, seq, at_seq, data)
      select g.stream_id, g.key, s.last_seq - c.n + g.n, g.at_seq, g.data
      from given g join streams s on s.id = g.stream_id join counted c on c.id = g.stream_id
      on conflict (stream_id, key) do update
        set seq = excluded.seq, at_seq = excluded.at_seq, data = excluded.data, changed_at = now())
    select id::text as stream_id, last_seq::text as last_seq from streams`;
  const onPostgres = database().kind === "postgres";
  // The process's database, not the class of `tx`: Next's route handlers run their own copy of drizzle.
  const answer = await tx.execute(sql.raw(onPostgres ? `${statement};\ncommit` : statement));
  const lastSeqs = new Map(streamRows(answer).map((row) => [row.stream_id, Number(row.last_seq)]));
  const stored: Change[] = [];
  for (const { scope, streamId, data, order, atSeq, conversation, made } of placed) {
    const last = lastSeqs.get(streamId);
    // Committed by now on PostgreSQL: a number missing here is a fault of this reading, not of the transaction.
    if (last === undefined) throw new Error(`Change stream ${streamId} was not read back`);
    const parentId = scope === "conversation" ? conversation?.parentId : null;
    const seq = last - counts.get(streamId)! + order;
    // In the order they were recorded.
    stored[made] = { scope, streamId, seq, atSeq, data, ...(parentId ? { parentId } : {}) };
  }
  return stored;
}

/**
 * The streams' rows of the answer: postgres.js answers a simple query of several statements with a list
 * of results (those without rows may be left out), one statement with its rows, and PGlite with `{ rows }`.
 */
function streamRows(answer: unknown): { stream_id: string; last_seq: string }[] {
  const rows = Array.isArray(answer) ? (answer.flat(2) as unknown[]) : (answer as { rows: unknown[] }).rows;
  return rows.filter(
    (row): row is { stream_id: string; last_seq: string } =>
      typeof row === "object" && row !== null && "stream_id" in row && "last_seq" in row,
  );
}

/**
 * A string as an SQL literal, whatever `standard_conforming_strings` says: an escape string, with its
 * backslashes and quotes doubled.
 */
function literal(value: string): string {
  return `E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
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
