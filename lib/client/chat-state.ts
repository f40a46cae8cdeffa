import type { Conversation, Message } from "@/lib/protocol";
import { mergeMessages } from "./merge-messages";
import type { OutboxItem } from "./outbox";

type Connection = "connecting" | "connected" | "disconnected";

export type History = {
  messages: Message[];
  /** Older messages exist on the server beyond the first one held. */
  hasOlder: boolean;
};

export type ChatState = {
  conversations: Conversation[];
  histories: Record<string, History>;
  outbox: OutboxItem[];
  connection: Connection;
};

type ChatAction =
  | { type: "conversations-loaded"; conversations: Conversation[] }
  | { type: "conversation-joined"; conversation: Conversation }
  | { type: "conversation-left"; conversationId: string }
  | { type: "history-loaded"; conversationId: string; messages: Message[]; hasOlder?: boolean }
  /** Live messages of one conversation: an ack's, or a messages:new event's. */
  | { type: "messages-received"; conversationId: string; messages: Message[] }
  | { type: "outbox-changed"; outbox: OutboxItem[] }
  | { type: "connection-changed"; connection: Connection };

export const initialChatState = (outbox: OutboxItem[]): ChatState => ({
  conversations: [],
  histories: {},
  outbox,
  connection: "connecting",
});

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "conversations-loaded":
      return { ...state, conversations: sortConversations(action.conversations) };
    case "conversation-joined":
      return {
        ...state,
        conversations: sortConversations([
          ...state.conversations.filter((c) => c.id !== action.conversation.id),
          action.conversation,
        ]),
      };
    case "conversation-left": {
      const { [action.conversationId]: _left, ...histories } = state.histories;
      return {
        ...state,
        conversations: state.conversations.filter((c) => c.id !== action.conversationId),
        histories,
      };
    }
    case "history-loaded": {
      const current = state.histories[action.conversationId];
      return {
        ...state,
        histories: {
          ...state.histories,
          [action.conversationId]: {
            messages: mergeMessages(current?.messages ?? [], action.messages),
            hasOlder: action.hasOlder ?? current?.hasOlder ?? false,
          },
        },
        conversations: withLastSeq(state.conversations, action.conversationId, action.messages),
      };
    }
    case "messages-received": {
      const { conversationId, messages } = action;
      const current = state.histories[conversationId];
      return {
        ...state,
        // A conversation not opened yet loads its newest page when opened; holding a few messages would hide the rest.
        histories: current
          ? {
              ...state.histories,
              [conversationId]: { ...current, messages: mergeMessages(current.messages, messages) },
            }
          : state.histories,
        conversations: withLastSeq(state.conversations, conversationId, messages),
      };
    }
    case "outbox-changed":
      return { ...state, outbox: action.outbox };
    case "connection-changed":
      return { ...state, connection: action.connection };
  }
}

/** The newest sequence number held for a conversation: catch-up asks for everything after it. */
export function lastHeldSeq(state: ChatState, conversationId: string): number | null {
  const messages = state.histories[conversationId]?.messages;
  if (!messages) return null;
  return messages[messages.length - 1]?.seq ?? 0;
}

/**
 * Live messages of one conversation skip a sequence number past the newest
 * held (or past each other): an event was missed, or is still on its way from
 * another server, and catch-up should fetch the hole.
 */
export function skipsAhead(lastHeld: number, messages: Message[]): boolean {
  let previous = lastHeld;
  for (const { seq } of messages) {
    if (seq > previous + 1) return true;
    previous = Math.max(previous, seq);
  }
  return false;
}

function sortConversations(conversations: Conversation[]): Conversation[] {
  return [...conversations].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
}

function withLastSeq(conversations: Conversation[], id: string, messages: Message[]): Conversation[] {
  const newest = messages.reduce((max, m) => Math.max(max, m.seq), 0);
  return conversations.map((c) => (c.id === id && newest > c.lastSeq ? { ...c, lastSeq: newest } : c));
}
