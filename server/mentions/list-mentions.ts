import { listMentionsInput, type MentionPage } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { database } from "@/server/db/client";
import { messageColumns, toMessage, type MessageRow } from "@/server/messages/message-rows";

/**
 * The caller's mentions, newest first: by name, or with @channel or @here in
 * their conversations, in someone else's message, in conversations they are
 * still in. A message that mentions them both ways is listed once.
 */
const MENTIONS = `
  with mine as (
    select max(mn.id) as cursor, mn.conversation_id, mn.seq from mentions mn
    where mn.mentioned_id = any(array(select conversation_id from conversation_members where user_id = $1::uuid) || $1::uuid)
      and mn.sender_id <> $1::uuid and mn.id < coalesce($2::bigint, 9223372036854775807)
      and exists (select 1 from conversation_members cm where cm.conversation_id = mn.conversation_id and cm.user_id = $1::uuid)
      -- Not yet those in threads: a mention there has no link to open until threads have addresses.
      and not exists (select 1 from conversations t where t.id = mn.conversation_id and t.parent_id is not null)
    group by mn.conversation_id, mn.seq
    order by cursor desc
    limit $3::int + 1
  )
  select mine.cursor::text as cursor, ${messageColumns("u.name")}
  from mine join messages m on m.conversation_id = mine.conversation_id and m.seq = mine.seq
  join users u on u.id = m.sender_id
  order by mine.cursor desc`;

export async function listMentions(user: Pick<SessionUser, "id">, input: unknown): Promise<MentionPage> {
  const { before, limit } = listMentionsInput.parse(input);
  const rows = await database().query<MessageRow & { cursor: string }>(MENTIONS, [user.id, before ?? null, limit]);
  return {
    mentions: rows.slice(0, limit).map((row) => ({ cursor: Number(row.cursor), message: toMessage(row) })),
    hasMore: rows.length > limit,
  };
}
