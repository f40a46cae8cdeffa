import { CHANGES_PAGE_SIZE, listChangesInput, type Change, type ChangeData, type ChangePage } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { database } from "@/server/db/client";
import { authorizeMany } from "@/server/policy/access-conversation";

type ChangeRow = { k: number; stream_id: string; seq: string; at_seq: string; data: ChangeData };

// One statement for every stream asked about: a reconnecting client asks about all of its streams at once.
export const CHANGES_AFTER = `
  select r.k::int as k, c.stream_id::text as stream_id, c.seq::text as seq, c.at_seq::text as at_seq, c.data
  from unnest($1::uuid[], $2::bigint[]) with ordinality as r(stream_id, after, k)
  cross join lateral (
    select * from changes c where c.stream_id = r.stream_id and c.seq > r.after order by c.seq limit $3::int
  ) c`;

/**
 * The changes of each stream after the position the caller holds: their own
 * stream, and those of conversations they may read (the same rule as history).
 * One more row than a page tells whether more exist.
 */
export async function listChanges(user: SessionUser, input: unknown): Promise<ChangePage> {
  const { streams } = listChangesInput.parse(input);
  const conversationIds = streams.map((s) => s.id).filter((id) => id !== user.id);
  await authorizeMany(user, conversationIds, "read");
  const rows = await database().query<ChangeRow>(CHANGES_AFTER, [
    streams.map((s) => s.id),
    streams.map((s) => s.after),
    CHANGES_PAGE_SIZE + 1,
  ]);
  return {
    streams: streams.map(({ id }, i) => {
      const mine = rows.filter((r) => r.k === i + 1);
      const changes = mine.slice(0, CHANGES_PAGE_SIZE).map((r): Change => ({
        scope: id === user.id ? "user" : "conversation",
        streamId: id,
        seq: Number(r.seq),
        atSeq: Number(r.at_seq),
        data: r.data,
      }));
      return { id, changes, hasMore: mine.length > CHANGES_PAGE_SIZE };
    }),
  };
}
