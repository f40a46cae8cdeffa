import { listMentionsInput, type MentionPage } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { database } from "@/server/db/client";
import { messageColumns, toMessage, type MessageRow } from "@/server/messages/message-rows";

/**
 * The caller's mentions, newest first: by name, or with @channel or @here in
 * their conversations since they joined, in someone else's message, in
 * conversations they are still in. A message that mentions them both ways is listed once. A thread's
 * replies mention people of its parent by name only (`rewriteMentions`), and
 * are listed while the person is in the parent, whether or not they follow the
 * thread: a thread has its parent's rights. A reply also sent to the channel is
 * listed as the reply, not again as its copy (whose mention the channel's
 * count holds).
 */
const MENTIONS = `
  with mine as (
    select max(mn.id) as cursor, mn.conversation_id, mn.seq from mentions mn
    join conversations c on c.id = mn.conversation_id
    where mn.mentioned_id = any(array(select conversation_id from conversation_members where user_id = $1::uuid) || $1::uuid)
      and mn.sender_id <> $1::uuid and mn.id < coalesce($2::bigint, 9223372036854775807)
      and exists (select 1 from conversation_members cm
        where cm.conversation_id = coalesce(c.parent_id, c.id) and cm.user_id = $1::uuid)
      and (mn.mentioned_id = $1::uuid or exists (select 1 from messages said
        join conversation_members cm on cm.conversation_id = said.conversation_id and cm.user_id = $1::uuid
        where said.conversation_id = mn.conversation_id and said.seq = mn.seq and said.created_at >= cm.joined_at))
      and not exists (select 1 from messages copy
        where copy.conversation_id = mn.conversation_id and copy.seq = mn.seq and copy.also_sent_from is not null)
    group by mn.conversation_id, mn.seq
    order by cursor desc
    limit $3::int + 1
  )
  select mine.cursor::text as cursor, t.parent_id::text as parent_id, t.root_seq::text as root_seq,
    ${messageColumns("u.name")}
  from mine join messages m on m.conversation_id = mine.conversation_id and m.seq = mine.seq
  join users u on u.id = m.sender_id
  join conversations t on t.id = mine.conversation_id
  order by mine.cursor desc`;

type MentionRow = MessageRow & { cursor: string; parent_id: string | null; root_seq: string | null };

export async function listMentions(user: Pick<SessionUser, "id">, input: unknown): Promise<MentionPage> {
  const { before, limit } = listMentionsInput.parse(input);
  const rows = await database().query<MentionRow>(MENTIONS, [user.id, before ?? null, limit]);
  return {
    mentions: rows.slice(0, limit).map((row) => ({
      cursor: Number(row.cursor),
      message: toMessage(row),
      inThread: row.parent_id === null ? null : { parentId: row.parent_id, rootSeq: Number(row.root_seq) },
    })),
    hasMore: rows.length > limit,
  };
}
