import { historyRequest, MAX_HISTORY_PAGE_BYTES, type MessagePage } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation } from "@/server/policy/access-conversation";
import { batched, groupRows } from "@/server/db/batched";
import { database } from "@/server/db/client";
import { messageColumns, toMessage, type MessageRow } from "./message-rows";

type PageRow = MessageRow & { page_bytes: string };
type PageKey = { conversationId: string; userId: string; limit: number; bound: number | null };

/**
 * Pages asked for at about the same time are read in one statement: after a
 * reconnect storm thousands of clients catch up at once. Each asked page is a
 * row of the arrays, read by a lateral subquery that walks the
 * (conversation_id, seq) index and checks membership itself (of the parent,
 * for a thread: a thread has its parent's readers), so a page costs
 * one round trip shared with its batch; an empty page then asks
 * accessConversation, which throws when the reader may not see the conversation.
 * `page_bytes` is the text so far; rows start while it is under the page's
 * byte budget, so one row past the budget comes back to say there is more.
 */
const pages = (bound: string, order: "asc" | "desc") => `
  select r.k::int as k, p.* from unnest($1::uuid[], $2::uuid[], $3::int[], $4::bigint[])
    with ordinality as r(conversation_id, user_id, lim, bound, k)
  cross join lateral (
    select * from (
      select ${messageColumns("u.name")}, sum(octet_length(m.text)) over (order by m.seq ${order})::int8 as page_bytes
      from messages m join users u on u.id = m.sender_id
      where m.conversation_id = r.conversation_id ${bound}
        and exists (
          select 1 from conversations t join conversation_members cm on cm.conversation_id = coalesce(t.parent_id, t.id)
          where t.id = r.conversation_id and cm.user_id = r.user_id)
      order by m.seq ${order} limit r.lim
    ) w where w.page_bytes - octet_length(w.text) < ${MAX_HISTORY_PAGE_BYTES}
  ) p`;

const pageLoader = (statement: string) =>
  batched(async (keys: readonly PageKey[]) => {
    const rows = await database().query<PageRow & { k: number }>(statement, [
      keys.map((k) => k.conversationId),
      keys.map((k) => k.userId),
      keys.map((k) => k.limit),
      keys.map((k) => k.bound),
    ]);
    const positions = keys.map((_, i) => i + 1);
    return groupRows(positions, rows, (r) => r.k);
  });

export const NEWEST_PAGES = pages("", "desc");
const newest = pageLoader(NEWEST_PAGES);
const before = pageLoader(pages("and m.seq < r.bound", "desc"));
const after = pageLoader(pages("and m.seq > r.bound", "asc"));

/**
 * A page of history in sequence order: the newest page, the page before a
 * sequence number (scrolling up), or the page after one (catch-up after a
 * reconnect). One more row than asked tells whether more exist.
 */
export async function listMessages(user: SessionUser, input: unknown): Promise<MessagePage> {
  const q = historyRequest.parse(input);
  const [load, bound] =
    q.after !== undefined ? [after, q.after] : q.before !== undefined ? [before, q.before] : [newest, null];
  const key = { conversationId: q.conversationId, userId: user.id, limit: q.limit + 1, bound };
  const rows = await load(key);
  if (rows.length === 0) await accessConversation(user, q.conversationId, "read");
  const kept = rows.slice(0, q.limit).filter((r, i) => i === 0 || Number(r.page_bytes) <= MAX_HISTORY_PAGE_BYTES);
  const messages = kept.map(toMessage);
  if (load !== after) messages.reverse();
  return { messages, hasMore: rows.length > kept.length };
}
