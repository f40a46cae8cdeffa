import type { Conversation, ConversationInfo, Message } from "@/lib/protocol";
import type { ChatAction } from "../actions";

/** Every conversation the person is in, as the server has it for them, by id. */
export const conversationsSlice = {
  initial: [] as Conversation[],
  reduce(state: Conversation[], action: ChatAction): Conversation[] {
    switch (action.type) {
      case "conversations-loaded":
        return [...action.conversations].sort(byId);
      case "conversation-joined":
        return [...state.filter((c) => c.id !== action.conversation.id), action.conversation].sort(byId);
      case "conversation-left":
        return state.some((c) => c.id === action.conversationId)
          ? state.filter((c) => c.id !== action.conversationId)
          : state;
      case "conversation-changed":
        return update(state, action.info.id, (c) => ({
          ...c,
          ...sharedState(action.info),
          changeSeq: action.changeSeq,
        }));
      case "member-changed":
        return update(state, action.conversationId, (c) => ({ ...c, changeSeq: action.changeSeq }));
      case "reactions-changed":
      case "thread-summary-changed":
        return update(state, action.conversationId, (c) => ({ ...c, changeSeq: action.changeSeq }));
      case "message-changed": {
        const { changeSeq, message, mentioned } = action;
        const marked =
          mentioned === undefined
            ? state
            : withMentioned(state, message.conversationId, [message], mentioned ? [message.seq] : []);
        if (changeSeq === null) return marked;
        return update(marked, message.conversationId, (c) => ({ ...c, changeSeq }));
      }
      case "read-moved":
        return update(state, action.conversationId, (c) =>
          action.lastReadSeq > c.lastReadSeq
            ? {
                ...c,
                lastReadSeq: action.lastReadSeq,
                mentionSeqs: c.mentionSeqs.filter((s) => s > action.lastReadSeq),
              }
            : c,
        );
      case "last-seqs-synced": {
        const synced = new Map(action.lastSeqs.map((c) => [c.id, c]));
        const next = state.map((c) => {
          const sync = synced.get(c.id);
          const lastSeq = sync?.lastSeq ?? 0;
          // Sorting by recent activity puts them where they belong: they had messages while away.
          const moved = lastSeq > c.lastSeq ? { ...c, lastSeq, lastMessageAt: action.at } : c;
          if (!sync?.mentionSeqs) return moved;
          // The server's mentions as of the sync, and those of messages heard live since it was read.
          const seqs = new Set([...sync.mentionSeqs, ...c.mentionSeqs.filter((seq) => seq > sync.lastSeq)]);
          const mentionSeqs = [...seqs].filter((seq) => seq > moved.lastReadSeq).sort((a, b) => a - b);
          return sameSeqs(mentionSeqs, moved.mentionSeqs) ? moved : { ...moved, mentionSeqs };
        });
        return next.some((c, i) => c !== state[i]) ? next : state;
      }
      case "history-loaded":
      case "messages-received": {
        const { conversationId, messages, mentioned } = action;
        const marked = mentioned === undefined ? state : withMentioned(state, conversationId, messages, mentioned);
        return withNewest(marked, conversationId, messages);
      }
      default:
        return state;
    }
  },
};

/** Only what all members share: a change never carries, nor may overwrite, the person's own positions. */
function sharedState(info: ConversationInfo): ConversationInfo {
  const { id, kind, name, topic, description, isPrivate, archived, isDefault, createdBy, memberCount } = info;
  const { mentionsRestricted, members } = info;
  return {
    id,
    kind,
    name,
    topic,
    description,
    isPrivate,
    archived,
    isDefault,
    createdBy,
    memberCount,
    mentionsRestricted,
    members,
  };
}

const byId = (a: Conversation, b: Conversation) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function update(state: Conversation[], id: string, change: (c: Conversation) => Conversation): Conversation[] {
  const index = state.findIndex((c) => c.id === id);
  const current = state[index];
  if (!current) return state;
  const next = change(current);
  return next === current ? state : state.with(index, next);
}

/**
 * The unread mentions as these messages, in the text they have now, make them: each unread one is a
 * mention of the reader exactly when it is in `mentioned`.
 */
function withMentioned(state: Conversation[], id: string, messages: Message[], mentioned: number[]): Conversation[] {
  return update(state, id, (c) => {
    const unread = messages.filter((m) => m.seq > c.lastReadSeq).map((m) => m.seq);
    if (unread.length === 0) return c;
    const seqs = new Set(c.mentionSeqs);
    for (const seq of unread) seqs.delete(seq);
    for (const seq of mentioned) if (seq > c.lastReadSeq) seqs.add(seq);
    const next = [...seqs].sort((a, b) => a - b);
    return sameSeqs(next, c.mentionSeqs) ? c : { ...c, mentionSeqs: next };
  });
}

const sameSeqs = (a: number[], b: number[]) => a.length === b.length && a.every((seq, i) => seq === b[i]);

/** Messages seen move a conversation's newest sequence number and last activity forward. */
function withNewest(conversations: Conversation[], id: string, messages: Message[]): Conversation[] {
  const newest = messages.reduce<Message | undefined>((max, m) => (!max || m.seq > max.seq ? m : max), undefined);
  return update(conversations, id, (c) =>
    newest && newest.seq > c.lastSeq ? { ...c, lastSeq: newest.seq, lastMessageAt: newest.createdAt } : c,
  );
}

/** Messages after your read position: exact, since positions and numbers both count messages. */
export function unreadCount(conversation: Pick<Conversation, "lastSeq" | "lastReadSeq">): number {
  return Math.max(0, conversation.lastSeq - conversation.lastReadSeq);
}
