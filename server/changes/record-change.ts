import { sql, type SQL } from "drizzle-orm";
import { changeDataSchema, type Change, type ChangeData } from "@/lib/protocol";
import type { Tx } from "@/server/db/client";

/** A change to record: the stream it goes in, and what it says. */
export type Recording = { streamId: string; data: ChangeData };

/**
 * Stores changes in their streams, inside the transaction that makes them. Each stream's counter row
 * stays locked until that transaction ends, so a stream's changes commit in the order of their
 * numbers, and a reader that has seen number n has seen every change before it. The rows are locked
 * in id order, so that two transactions recording in some of the same streams cannot deadlock. However
 * many changes and streams, it is one statement (`record`): a reply that makes hundreds of people follow
 * its thread tells each of them in their own stream without a round trip per person, and the counter
 * rows stay locked only for that statement and the commit, while every change of a busy conversation
 * (a storm of edits, S10) waits for them.
 */
export async function recordChanges(tx: Tx, scope: Change["scope"], given: Recording[]): Promise<Change[]> {
  if (given.length === 0) return [];
  // Parsing keeps only what the schema names: a caller that hands in a whole row (a user's, with their
  // password hash) cannot put more than a name into what every member reads.
  const recordings = given.map(({ streamId, data }) => ({
    streamId: streamId.toLowerCase(),
    data: changeDataSchema.parse(data),
  }));
  // Each change's place among its stream's changes here, in the order given; the feed keeps each thing's
  // newest change: of two here about one thing, the later.
  const counts = new Map<string, number>();
  const newest = new Map<string, number>();
  const rows = recordings.map(({ streamId, data }, i) => {
    const ord = (counts.get(streamId) ?? 0) + 1;
    counts.set(streamId, ord);
    newest.set(`${streamId} ${keyOf(data)}`, i);
    return { streamId, about: conversationOf(data).toLowerCase(), key: keyOf(data), ord, data };
  });
  const input = rows.map((row, i) => ({ ...row, keep: newest.get(`${row.streamId} ${row.key}`) === i }));
  const numbered = rowsOf<{ seq: number; at_seq: number; parent_id: string | null }>(
    await tx.execute(record(JSON.stringify(input))),
  );
  return recordings.map(({ streamId, data }, i): Change => {
    const { seq, at_seq: atSeq, parent_id } = numbered[i]!;
    const parentId = scope === "conversation" ? parent_id : null;
    return { scope, streamId, seq, atSeq, data, ...(parentId ? { parentId } : {}) };
  });
}

/**
 * The statement that numbers and stores the changes given as a JSON array (stream, the conversation it is
 * about, key, place among its stream's changes here, data, whether it is the newest of its thing), and
 * answers each one's number, its conversation's newest message (`atSeq`) and a thread's parent, in order.
 * The conversations are read as the statement starts, before it waits for any counter row: messages stored
 * meanwhile go before the change; an event about a message is made after the message, so never before it.
 */
function record(json: string): SQL {
  return sql`
    with given as (
      select (e->>'streamId')::uuid as stream_id, (e->>'about')::uuid as about, e->>'key' as key,
        (e->>'ord')::int as ord, e->'data' as data, (e->>'keep')::boolean as keep, i
      from jsonb_array_elements(${json}::jsonb) with ordinality as x(e, i)
    ), counts as (
      select stream_id, count(*)::int as n from given group by stream_id
    ), bumped as (
      insert into change_streams (id, last_seq)
      select stream_id, n from counts order by stream_id
      on conflict (id) do update set last_seq = change_streams.last_seq + excluded.last_seq
      returning id, last_seq
    ), numbered as (
      select g.*, b.last_seq - c.n + g.ord as seq, coalesce(conv.last_seq, 0) as at_seq, conv.parent_id
      from given g
      join counts c on c.stream_id = g.stream_id
      join bumped b on b.id = g.stream_id
      left join conversations conv on conv.id = g.about
    ), stored as (
      insert into changes (stream_id, key, seq, at_seq, data)
      select stream_id, key, seq, at_seq, data from numbered where keep
      on conflict (stream_id, key) do update
        set seq = excluded.seq, at_seq = excluded.at_seq, data = excluded.data, changed_at = now()
    )
    select seq::int as seq, at_seq::int as at_seq, parent_id::text as parent_id from numbered order by i`;
}

/** The rows a raw statement answered: postgres.js gives them as the result, PGlite under `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
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
