import { listThreadsInput, type ThreadList } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { database } from "@/server/db/client";
import { messageColumns, toMessage, type MessageRow } from "@/server/messages/message-rows";

/** Most threads the view lists: unread ones come first, so none with news is left out before the rest. */
const MAX_THREADS = 200;

type ThreadRow = MessageRow & {
  thread_id: string;
  parent_id: string;
  root_seq: string;
  thread_last_seq: string;
  last_read_seq: string;
  mention_seqs: string[];
  change_seq: string;
};

/**
 * The reader's unread mentions in a followed thread (by name only: `rewriteMentions`), but for a reply
 * also sent to the channel while its copy there mentions them: that mention counts in the channel, and
 * the Mentions view lists it once. The copy is found among the reader's mentions in the parent.
 */
const UNREAD_MENTIONS = `array(
  select mn.seq::text from mentions mn
  where mn.conversation_id = t.id and mn.mentioned_id = $1::uuid and mn.seq > cm.last_read_seq
    and mn.sender_id <> $1::uuid
    and not exists (select 1 from mentions cmn
      join messages copy on copy.conversation_id = cmn.conversation_id and copy.seq = cmn.seq
      where cmn.conversation_id = t.parent_id and cmn.mentioned_id = $1::uuid and cmn.seq > t.root_seq
        and copy.also_sent_from @> jsonb_build_object('threadId', t.id, 'seq', mn.seq))
  order by mn.seq)`;

// Follows exist only for members of the parent (leaving it ends them), so no further check is needed.
const FOLLOWED = `
  select t.id as thread_id, t.parent_id, t.root_seq::text as root_seq, t.last_seq::text as thread_last_seq,
    cm.last_read_seq::text as last_read_seq, ${UNREAD_MENTIONS} as mention_seqs, coalesce(cs.last_seq, 0)::text as change_seq, ${messageColumns("u.name")}
  from conversation_members cm
  join conversations t on t.id = cm.conversation_id and t.parent_id is not null
  join messages m on m.conversation_id = t.parent_id and m.seq = t.root_seq
  join users u on u.id = m.sender_id
  left join change_streams cs on cs.id = t.id
  where cm.user_id = $1::uuid
  order by t.last_seq > cm.last_read_seq desc,
    coalesce((m.thread->>'lastReplyAt')::timestamptz, m.created_at) desc, t.id
  limit ${MAX_THREADS}`;

/** The Threads view: the threads the caller follows, with their root messages and unread counts. */
export async function listThreads(user: SessionUser, input: unknown): Promise<ThreadList> {
  listThreadsInput.parse(input);
  const rows = await database().query<ThreadRow>(FOLLOWED, [user.id]);
  return {
    threads: rows.map((r) => ({
      id: r.thread_id,
      parentId: r.parent_id,
      rootSeq: Number(r.root_seq),
      root: toMessage(r),
      lastSeq: Number(r.thread_last_seq),
      lastReadSeq: Number(r.last_read_seq),
      mentionSeqs: r.mention_seqs.map(Number),
      changeSeq: Number(r.change_seq),
    })),
  };
}
