import { historyRequest, type MessagePage } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation } from "@/server/conversations/access-conversation";
import { database } from "@/server/db/client";
import { messageColumns, toMessage, type MessageRow } from "./message-rows";

/**
 * Membership is checked inside the page query, saving a round trip on every
 * page; an empty page then asks accessConversation, which throws when the
 * reader may not see the conversation. Each direction walks the
 * (conversation_id, seq) index.
 */
const page = (bound: string, order: "asc" | "desc") => `
  select ${messageColumns("u.name")} from messages m join users u on u.id = m.sender_id
  where m.conversation_id = $1::uuid ${bound}
    and exists (select 1 from conversation_members where conversation_id = $1::uuid and user_id = $2::uuid)
  order by m.seq ${order} limit $3::int`;

const NEWEST = page("and $4::bigint is null", "desc");
const BEFORE = page("and m.seq < $4::bigint", "desc");
const AFTER = page("and m.seq > $4::bigint", "asc");

/**
 * A page of history in sequence order: the newest page, the page before a
 * sequence number (scrolling up), or the page after one (catch-up after a
 * reconnect). One more row than asked tells whether more exist.
 */
export async function listMessages(user: SessionUser, input: unknown): Promise<MessagePage> {
  const q = historyRequest.parse(input);
  const [statement, bound] =
    q.after !== undefined ? [AFTER, q.after] : q.before !== undefined ? [BEFORE, q.before] : [NEWEST, null];
  const rows = await database().query<MessageRow>(statement, [q.conversationId, user.id, q.limit + 1, bound]);
  if (rows.length === 0) await accessConversation(user, q.conversationId);
  const messages = rows.slice(0, q.limit).map(toMessage);
  if (statement !== AFTER) messages.reverse();
  return { messages, hasMore: rows.length > q.limit };
}
