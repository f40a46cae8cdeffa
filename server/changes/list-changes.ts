import { CHANGES_PAGE_SIZE, listChangesInput } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { database } from "@/server/db/client";
import { authorizeTarget, targetColumns, type TargetRow } from "@/server/policy/access-conversation";

/**
 * One statement for every stream asked about, since a reconnecting client asks
 * about all of its streams at once (S9). It answers one row of two JSON texts:
 * `targets`, what the rules need to decide whether the caller may read each
 * stream (in the order asked; a stream that is not a conversation, the
 * caller's own, has a null kind), and `body`, the page (`changePageSchema`):
 * each stream's changes after the position held, built by PostgreSQL and sent
 * as it is, as the sidebar is, rather than made into rows, objects and JSON
 * again (S9's catch-up figure).
 */
export const CHANGES_AFTER = `
  with asked as (
    select * from unnest($1::uuid[], $2::bigint[]) with ordinality as r(stream_id, after, k)
  ),
  targets as (
    select r.k, ${targetColumns("$4::uuid")}
    from asked r
    left join conversations s on s.id = r.stream_id
    -- A thread is read by its parent's rules.
    left join conversations c on c.id = coalesce(s.parent_id, s.id)
    left join workspace w on w.id = 1
  ),
  pages as (
    select r.k, r.stream_id,
      coalesce(json_agg(json_build_object(
        'scope', case when r.stream_id = $4::uuid then 'user' else 'conversation' end,
        'streamId', r.stream_id, 'seq', x.seq, 'atSeq', x.at_seq, 'data', x.data
      ) order by x.seq) filter (where x.i <= $3::int), '[]'::json) as changes,
      coalesce(bool_or(x.i > $3::int), false) as has_more
    from asked r
    left join lateral (
      select ch.seq, ch.at_seq, ch.data, row_number() over (order by ch.seq) as i
      from changes ch where ch.stream_id = r.stream_id and ch.seq > r.after order by ch.seq limit $3::int + 1
    ) x on true
    group by r.k, r.stream_id
  )
  select
    (select json_agg(t order by t.k) from targets t)::text as targets,
    json_build_object('streams', (
      select json_agg(json_build_object('id', p.stream_id, 'changes', p.changes, 'hasMore', p.has_more) order by p.k)
      from pages p
    ))::text as body`;

/**
 * The changes of each stream after the position the caller holds, as UTF-8
 * JSON (`changePageSchema`, sent as `JsonBytes`): their own stream, and those
 * of conversations they may read (the same rule as history). Nothing is
 * answered unless every stream asked about may be read.
 */
export async function listChanges(user: SessionUser, input: unknown): Promise<Buffer<ArrayBuffer>> {
  const { streams } = listChangesInput.parse(input);
  const [targets, body] = await database().textRow(CHANGES_AFTER, [
    streams.map((s) => s.id),
    streams.map((s) => s.after),
    CHANGES_PAGE_SIZE,
    user.id,
  ]);
  const rows = JSON.parse(targets!.toString()) as TargetRow[];
  streams.forEach(({ id }, i) => {
    if (id !== user.id) authorizeTarget(user, "read", rows[i]!);
  });
  return body!;
}
