import type { Conversation, Message } from "@/lib/protocol";
import type { ChatAction } from "../actions";

/** The sidebar's list: every conversation the person is in, by name. */
export const conversationsSlice = {
  initial: [] as Conversation[],
  reduce(state: Conversation[], action: ChatAction): Conversation[] {
    switch (action.type) {
      case "conversations-loaded":
        return sortConversations(action.conversations);
      case "conversation-joined":
        return sortConversations([...state.filter((c) => c.id !== action.conversation.id), action.conversation]);
      case "conversation-left":
        return state.some((c) => c.id === action.conversationId)
          ? state.filter((c) => c.id !== action.conversationId)
          : state;
      case "history-loaded":
      case "messages-received":
        return withLastSeq(state, action.conversationId, action.messages);
      default:
        return state;
    }
  },
};

function sortConversations(conversations: Conversation[]): Conversation[] {
  return [...conversations].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
}

function withLastSeq(conversations: Conversation[], id: string, messages: Message[]): Conversation[] {
  const newest = messages.reduce((max, m) => Math.max(max, m.seq), 0);
  const index = conversations.findIndex((c) => c.id === id);
  const conversation = conversations[index];
  if (!conversation || newest <= conversation.lastSeq) return conversations;
  return conversations.with(index, { ...conversation, lastSeq: newest });
}
