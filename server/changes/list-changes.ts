import { CHANGES_PAGE_SIZE, listChangesInput, type Change, type ChangeData, type ChangePage } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { database } from "@/server/db/client";
import { authorizeTarget, targetColumns, type TargetRow } from "@/server/policy/access-conversation";

type ChangeRow = TargetRow & { k: number; seq: string | null; at_seq: string | null; data: ChangeData | null };

/**
 * One statement for every stream asked about, since a reconnecting client asks
 * about all of its streams at once (S9): each stream's changes after the
 * position held, one more than a page, with what the rules need to decide
 * whether the caller may read them. A stream that is not a conversation
 * (the caller's own) gives a row whose kind is null.
 */
export const CHANGES_AFTER = `
  select r.k::int as k, ${targetColumns("$4::uuid")},
    ch.seq::text as seq, ch.at_seq::text as at_seq, ch.data
  from unnest($1::uuid[], $2::bigint[]) with ordinality as r(stream_id, after, k)
  left join conversations s on s.id = r.stream_id
  left join conversations c on c.id = coalesce(s.parent_id, s.id)
  left join workspace w on w.id = 1
  left join lateral (
    select * from changes x where x.stream_id = r.stream_id and x.seq > r.after order by x.seq limit $3::int
  ) ch on true
  order by r.k, ch.seq`;

/**
 * The changes of each stream after the position the caller holds: their own
 * stream, and those of conversations they may read (the same rule as history).
 * Nothing is answered unless every stream asked about may be read.
 */
export async function listChanges(user: SessionUser, input: unknown): Promise<ChangePage> {
  const { streams } = listChangesInput.parse(input);
  const rows = await database().query<ChangeRow>(CHANGES_AFTER, [
    streams.map((s) => s.id),
    streams.map((s) => s.after),
    CHANGES_PAGE_SIZE + 1,
    user.id,
  ]);
  const byStream = streams.map((): ChangeRow[] => []);
  for (const row of rows) byStream[row.k - 1]!.push(row);
  return {
    streams: streams.map(({ id }, i) => {
      const own = id === user.id;
      const [first] = byStream[i]!;
      if (!own && first) authorizeTarget(user, "read", first);
      const mine = byStream[i]!.filter((r) => r.seq !== null);
      const changes = mine.slice(0, CHANGES_PAGE_SIZE).map((r): Change => ({
        scope: own ? "user" : "conversation",
        streamId: id,
        seq: Number(r.seq),
        atSeq: Number(r.at_seq),
        data: r.data!,
      }));
      return { id, changes, hasMore: mine.length > CHANGES_PAGE_SIZE };
    }),
  };
}
