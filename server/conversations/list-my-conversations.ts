import type { Sidebar } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { batched, groupRows } from "@/server/db/batched";
import { database, db } from "@/server/db/client";
import { readMemberConversations, readUserChangeSeq } from "./read-conversations";

/**
 * The caller's sidebar. Their stream's position is read first: a change that
 * commits between the two reads is then in the conversations and replayed
 * once more from the feed, which changes nothing, rather than missed.
 */
export async function listMyConversations(user: Pick<SessionUser, "id">): Promise<Sidebar> {
  const changeSeq = await readUserChangeSeq(db(), user.id);
  return { changeSeq, conversations: await readMemberConversations(db(), user.id) };
}

type StateRow = { user_id: string; id: string; last_seq: string; change_seq: string; user_change_seq: string };

// Asked by every connecting socket once it has joined its rooms.
const STATES = `
  select cm.user_id::text as user_id, c.id::text as id, c.last_seq::text as last_seq,
    coalesce(cs.last_seq, 0)::text as change_seq,
    coalesce((select last_seq from change_streams where id = cm.user_id), 0)::text as user_change_seq
  from conversation_members cm join conversations c on c.id = cm.conversation_id
  left join change_streams cs on cs.id = c.id
  where cm.user_id = any($1::uuid[])`;

const loadStates = batched(async (userIds: readonly string[]) =>
  groupRows(userIds, await database().query<StateRow>(STATES, [userIds]), (r) => r.user_id),
);

const USER_CHANGE_SEQ = `select coalesce((select last_seq from change_streams where id = $1::uuid), 0)::text as seq`;

/** Where each of the user's streams stands: what a connecting client compares with what it holds. */
export async function listMyStreamStates(userId: string) {
  const rows = await loadStates(userId);
  const changeSeq = rows[0]
    ? Number(rows[0].user_change_seq)
    : Number((await database().query<{ seq: string }>(USER_CHANGE_SEQ, [userId]))[0]?.seq ?? 0);
  return {
    changeSeq,
    conversations: rows.map((r) => ({ id: r.id, lastSeq: Number(r.last_seq), changeSeq: Number(r.change_seq) })),
  };
}
