import { listConversationsInput, type Sync } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { batched, groupRows } from "@/server/db/batched";
import { database } from "@/server/db/client";
import { directMembersJson, unreadMentionSeqsSql } from "./read-conversations";

/**
 * The sidebar as JSON text, built by PostgreSQL in one statement and passed
 * through: each of the caller's conversations as they have it, and the
 * position of their own change stream, read in the same snapshot. Its cost
 * grows with the number of conversations, not with their messages: the
 * newest message is one index lookup per conversation and unread counts are
 * lastSeq - lastReadSeq. The text matches `sidebarSchema`, and what
 * `readMemberConversations` gives field for field (the sidebar test checks
 * both); building it here skips mapping 500 rows into objects and
 * serializing them again (S9).
 */
export const SIDEBAR = `
  select json_build_object(
    'changeSeq', coalesce((select last_seq from change_streams where id = $1::uuid), 0),
    'conversations', coalesce((
      select json_agg(json_build_object(
        'id', c.id, 'kind', c.kind, 'name', c.name, 'topic', c.topic, 'description', c.description,
        'isPrivate', c.is_private, 'archived', c.archived_at is not null,
        'isDefault', coalesce(w.default_channel_id = c.id, false), 'createdBy', c.created_by,
        'memberCount', c.member_count, 'mentionsRestricted', c.mentions_restricted,
        'members', ${directMembersJson("c")},
        'lastSeq', c.last_seq, 'lastReadSeq', cm.last_read_seq,
        'mentionSeqs', ${unreadMentionSeqsSql("c", "cm", "$1::uuid")}, 'changeSeq', coalesce(cs.last_seq, 0),
        'lastMessageAt', (
          select to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          from messages m where m.conversation_id = c.id and m.seq = c.last_seq)
      ) order by c.id)
      from conversation_members cm join conversations c on c.id = cm.conversation_id
      left join workspace w on w.id = 1
      left join change_streams cs on cs.id = c.id
      where cm.user_id = $1::uuid and c.parent_id is null
    ), '[]'::json)
  )::text as body`;

/** The caller's sidebar, as UTF-8 JSON (`sidebarSchema`). */
export async function sidebarJson(user: Pick<SessionUser, "id">): Promise<Buffer<ArrayBuffer>> {
  const [body] = await database().textRow(SIDEBAR, [user.id]);
  return body!;
}

/** The sidebar for the socket's ack, sent as the bytes PostgreSQL built (`JsonBytes`). */
export function listMyConversations(user: Pick<SessionUser, "id">, input: unknown): Promise<Buffer<ArrayBuffer>> {
  listConversationsInput.parse(input);
  return sidebarJson(user);
}

type StateRow = {
  user_id: string;
  user_change_seq: string;
  id: string | null;
  last_seq: string | null;
  change_seq: string | null;
  mention_seqs: string[] | null;
  is_thread: boolean;
};

// Asked by every connecting socket once it has joined its rooms: a row per conversation (or followed
// thread) of each user, or one without a conversation for a user in none, each with the user's own
// stream position.
const STATES = `
  select u.id::text as user_id, coalesce(us.last_seq, 0)::text as user_change_seq,
    c.id::text as id, c.last_seq::text as last_seq, coalesce(cs.last_seq, 0)::text as change_seq,
    case when c.id is not null and c.parent_id is null then ${unreadMentionSeqsSql("c", "cm", "u.id")}::text[] end
      as mention_seqs,
    c.parent_id is not null as is_thread
  from unnest($1::uuid[]) as u(id)
  left join change_streams us on us.id = u.id
  left join conversation_members cm on cm.user_id = u.id
  left join conversations c on c.id = cm.conversation_id
  left join change_streams cs on cs.id = c.id`;

const loadStates = batched(async (userIds: readonly string[]) =>
  groupRows(userIds, await database().query<StateRow>(STATES, [userIds]), (r) => r.user_id),
);

/** Where each of the user's streams stands: what a connecting client compares with what it holds. */
export async function listMyStreamStates(userId: string): Promise<Sync> {
  const rows = await loadStates(userId);
  return {
    changeSeq: Number(rows[0]?.user_change_seq ?? 0),
    conversations: rows.flatMap((r) =>
      r.id === null || r.is_thread
        ? []
        : [
            {
              id: r.id,
              lastSeq: Number(r.last_seq),
              changeSeq: Number(r.change_seq),
              mentionSeqs: (r.mention_seqs ?? []).map(Number),
            },
          ],
    ),
    threads: rows.flatMap((r) =>
      r.id === null || !r.is_thread ? [] : [{ id: r.id, lastSeq: Number(r.last_seq), changeSeq: Number(r.change_seq) }],
    ),
  };
}
