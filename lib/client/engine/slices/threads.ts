import type { FollowedThread } from "@/lib/protocol";
import type { ChatAction } from "../actions";

/** A thread the person follows: where its replies and their reading stand, and its feed position. */
export type Followed = Pick<FollowedThread, "id" | "parentId" | "rootSeq" | "lastSeq" | "lastReadSeq" | "changeSeq">;

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
            action.threads.map(({ id, parentId, rootSeq, lastSeq, lastReadSeq, changeSeq }) => [
              id,
              // A position this client moved past already (a read, a reply heard) is not taken back.
              mergePositions({ id, parentId, rootSeq, lastSeq, lastReadSeq, changeSeq }, state.followed[id]),
            ]),
          ),
        };
      case "thread-unfollowed": {
        if (!state.followed[action.threadId]) return state;
        const { [action.threadId]: _gone, ...followed } = state.followed;
        return { ...state, followed };
      }
      case "thread-summary-changed":
        return update(state, action.thread.threadId, (t) =>
          action.thread.replyCount > t.lastSeq ? { ...t, lastSeq: action.thread.replyCount } : t,
        );
      case "read-moved":
        return update(state, action.conversationId, (t) =>
          action.lastReadSeq > t.lastReadSeq ? { ...t, lastReadSeq: action.lastReadSeq } : t,
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
        const newest = Math.max(0, ...action.messages.map((m) => m.seq));
        return update(state, action.conversationId, (t) => (newest > t.lastSeq ? { ...t, lastSeq: newest } : t));
      }
      case "message-changed": {
        const { changeSeq } = action;
        if (changeSeq === null) return state;
        return update(state, action.message.conversationId, (t) => ({ ...t, changeSeq }));
      }
      case "reactions-changed":
        return update(state, action.conversationId, (t) => ({ ...t, changeSeq: action.changeSeq }));
      default:
        return state;
    }
  },
};

function mergePositions(loaded: Followed, held: Followed | undefined): Followed {
  if (!held) return loaded;
  return {
    ...loaded,
    lastSeq: Math.max(loaded.lastSeq, held.lastSeq),
    lastReadSeq: Math.max(loaded.lastReadSeq, held.lastReadSeq),
    changeSeq: Math.max(loaded.changeSeq, held.changeSeq),
  };
}

function update(state: Threads, id: string, change: (t: Followed) => Followed): Threads {
  const current = state.followed[id];
  if (!current) return state;
  const next = change(current);
  return next === current ? state : { ...state, followed: { ...state.followed, [id]: next } };
}

/** Followed threads with unread replies: what the sidebar's Threads entry counts. */
export function unreadThreads(threads: Threads): number {
  return Object.values(threads.followed).filter((t) => t.lastSeq > t.lastReadSeq).length;
}
