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
        const { changeSeq } = action;
        if (changeSeq === null) return state;
        return update(state, action.message.conversationId, (c) => ({ ...c, changeSeq }));
      }
      case "read-moved":
        return update(state, action.conversationId, (c) =>
          action.lastReadSeq > c.lastReadSeq ? { ...c, lastReadSeq: action.lastReadSeq } : c,
        );
      case "last-seqs-synced": {
        const synced = new Map(action.lastSeqs.map((c) => [c.id, c.lastSeq]));
        const next = state.map((c) => {
          const lastSeq = synced.get(c.id) ?? 0;
          // Sorting by recent activity puts them where they belong: they had messages while away.
          return lastSeq > c.lastSeq ? { ...c, lastSeq, lastMessageAt: action.at } : c;
        });
        return next.some((c, i) => c !== state[i]) ? next : state;
      }
      case "history-loaded":
      case "messages-received":
        return withNewest(state, action.conversationId, action.messages);
      default:
        return state;
    }
  },
};

/** Only what all members share: a change never carries, nor may overwrite, the person's own positions. */
function sharedState(info: ConversationInfo): ConversationInfo {
  const { id, kind, name, topic, description, isPrivate, archived, isDefault, createdBy, memberCount, members } = info;
  return { id, kind, name, topic, description, isPrivate, archived, isDefault, createdBy, memberCount, members };
}

const byId = (a: Conversation, b: Conversation) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function update(state: Conversation[], id: string, change: (c: Conversation) => Conversation): Conversation[] {
  const index = state.findIndex((c) => c.id === id);
  const current = state[index];
  if (!current) return state;
  const next = change(current);
  return next === current ? state : state.with(index, next);
}

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
