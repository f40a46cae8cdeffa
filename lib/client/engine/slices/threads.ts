import type { FollowedThread, Message, ThreadSummary } from "@/lib/protocol";
import { laterState } from "@/lib/client/merge-messages";
import { toggleReaction } from "@/lib/client/reactions";
import type { ChatAction } from "../actions";

/**
 * A thread the person follows: its root message as it is now (text, reactions, summary), where its replies
 * and their reading stand, and its feed position.
 */
export type Followed = FollowedThread & {
  /** Replies whose copy in the conversation was heard: their mention counts there, in whichever order they came. */
  copiedSeqs?: readonly number[];
};

/** The threads the person follows, by thread id; `loaded` once the Threads view or a sync has read them. */
export type Threads = { followed: Readonly<Record<string, Followed>>; loaded: boolean };

export const threadsSlice = {
  initial: { followed: {}, loaded: false } as Threads,
  reduce(state: Threads, action: ChatAction): Threads {
    switch (action.type) {
      case "threads-loaded":
        return {
          loaded: true,
          followed: Object.fromEntries(
            // What this client moved past already (a read, a reply heard, a change of the root) is not taken back.
            action.threads.map((thread) => [thread.id, merged(thread, state.followed[thread.id])]),
          ),
        };
      case "thread-unfollowed": {
        if (!state.followed[action.threadId]) return state;
        const { [action.threadId]: _gone, ...followed } = state.followed;
        return { ...state, followed };
      }
      case "thread-summary-changed": {
        const { thread } = action;
        return update(state, thread.threadId, (t) => {
          const root = withSummary(t.root, thread);
          const lastSeq = Math.max(t.lastSeq, thread.replyCount);
          return root === t.root && lastSeq === t.lastSeq ? t : { ...t, root, lastSeq };
        });
      }
      case "read-moved":
        return update(state, action.conversationId, (t) =>
          action.lastReadSeq > t.lastReadSeq
            ? {
                ...t,
                lastReadSeq: action.lastReadSeq,
                mentionSeqs: t.mentionSeqs.filter((seq) => seq > action.lastReadSeq),
              }
            : t,
        );
      case "last-seqs-synced": {
        let next = state;
        for (const { id, lastSeq } of action.lastSeqs) {
          next = update(next, id, (t) => (lastSeq > t.lastSeq ? { ...t, lastSeq } : t));
        }
        return next;
      }
      case "history-loaded":
      case "messages-received": {
        const { conversationId, messages, named } = action;
        const newest = Math.max(0, ...messages.map((m) => m.seq));
        const marked = withoutCopied(
          named === undefined ? state : withNamed(state, conversationId, messages, named),
          messages,
        );
        return update(marked, conversationId, (t) => (newest > t.lastSeq ? { ...t, lastSeq: newest } : t));
      }
      case "message-changed": {
        const { message, changeSeq, named } = action;
        const marked =
          named === undefined ? state : withNamed(state, message.conversationId, [message], named ? [message.seq] : []);
        // A reply's change moves its thread's feed position; a root's changes what the thread shows of it.
        const moved =
          changeSeq === null ? marked : update(marked, message.conversationId, (t) => ({ ...t, changeSeq }));
        return updateRoot(moved, message.conversationId, message.seq, (root) =>
          // The feed's changes come in order and say how the message is now; an ack's copy may be older.
          withSummary(changeSeq === null ? laterState(root, message) : message, root.thread),
        );
      }
      case "reactions-changed": {
        const moved = update(state, action.conversationId, (t) => ({ ...t, changeSeq: action.changeSeq }));
        return updateRoot(moved, action.conversationId, action.seq, (root) => ({
          ...root,
          reactions: action.reactions,
        }));
      }
      case "reaction-toggled": {
        const { emoji, userId, present } = action;
        return updateRoot(state, action.conversationId, action.seq, (root) => {
          const reactions = toggleReaction(root.reactions, emoji, userId, present);
          return reactions === root.reactions ? root : { ...root, reactions };
        });
      }
      default:
        return state;
    }
  },
};

/** A thread as the server lists it, with what this client heard since the list was read kept. */
function merged(loaded: Followed, held: Followed | undefined): Followed {
  if (!held) return loaded;
  return {
    ...loaded,
    root: withSummary(laterState(held.root, loaded.root), held.root.thread),
    lastSeq: Math.max(loaded.lastSeq, held.lastSeq),
    lastReadSeq: Math.max(loaded.lastReadSeq, held.lastReadSeq),
    changeSeq: Math.max(loaded.changeSeq, held.changeSeq),
    copiedSeqs: held.copiedSeqs,
    // The server's unread mentions as listed, and those of replies heard since the list was read.
    mentionSeqs: [...new Set([...loaded.mentionSeqs, ...held.mentionSeqs.filter((seq) => seq > loaded.lastSeq)])]
      .filter((seq) => seq > Math.max(loaded.lastReadSeq, held.lastReadSeq))
      .sort((a, b) => a - b),
  };
}

/** A thread's unread mentions as these replies, in the text they have now, make them (`named`: those naming the reader). */
function withNamed(state: Threads, id: string, messages: Message[], named: number[]): Threads {
  return update(state, id, (t) => {
    const seqs = new Set(t.mentionSeqs);
    for (const m of messages) seqs.delete(m.seq);
    for (const seq of named) if (seq > t.lastReadSeq && !t.copiedSeqs?.includes(seq)) seqs.add(seq);
    const next = [...seqs].sort((a, b) => a - b);
    return next.length === t.mentionSeqs.length && next.every((seq, i) => seq === t.mentionSeqs[i])
      ? t
      : { ...t, mentionSeqs: next };
  });
}

/** The root with the summary that counts more replies: summaries only grow, so the other is older. */
function withSummary(root: Message, summary: ThreadSummary | null): Message {
  if (!summary || (root.thread && root.thread.replyCount >= summary.replyCount)) return root;
  return { ...root, thread: summary };
}

function update(state: Threads, id: string, change: (t: Followed) => Followed): Threads {
  const current = state.followed[id];
  if (!current) return state;
  const next = change(current);
  return next === current ? state : { ...state, followed: { ...state.followed, [id]: next } };
}

/** Changes the root of the followed thread of message `seq` of `conversationId`, when there is one. */
function updateRoot(state: Threads, conversationId: string, seq: number, change: (root: Message) => Message): Threads {
  const thread = Object.values(state.followed).find((t) => t.parentId === conversationId && t.rootSeq === seq);
  if (!thread) return state;
  return update(state, thread.id, (t) => {
    const root = change(t.root);
    return root === t.root ? t : { ...t, root };
  });
}

/** Followed threads with unread replies: what the sidebar's Threads entry counts. */
export function unreadThreads(threads: Threads): number {
  return Object.values(threads.followed).filter((t) => t.lastSeq > t.lastReadSeq).length;
}

/** A reply's copy in the conversation counts its mention there: the reply's no longer counts in its thread. */
function withoutCopied(state: Threads, messages: Message[]): Threads {
  let next = state;
  for (const { alsoSentFrom: from } of messages) {
    if (!from?.seq) continue;
    const seq = from.seq;
    next = update(next, from.threadId, (t) =>
      t.copiedSeqs?.includes(seq)
        ? t
        : {
            ...t,
            mentionSeqs: t.mentionSeqs.filter((s) => s !== seq),
            copiedSeqs: [...(t.copiedSeqs ?? []), seq],
          },
    );
  }
  return next;
}

/** Unread mentions in followed threads' replies: the sidebar's Mentions link counts them with the conversations'. */
export function unreadThreadMentions(threads: Threads): number {
  return Object.values(threads.followed).reduce((sum, t) => sum + t.mentionSeqs.length, 0);
}

/** The Threads view's order, as the server lists them: those with unread replies first, then by latest reply. */
export function followedThreads(threads: Threads): Followed[] {
  const latest = (t: Followed) => t.root.thread?.lastReplyAt ?? t.root.createdAt;
  const unread = (t: Followed) => (t.lastSeq > t.lastReadSeq ? 1 : 0);
  return Object.values(threads.followed).sort(
    (a, b) => unread(b) - unread(a) || latest(b).localeCompare(latest(a)) || a.id.localeCompare(b.id),
  );
}
