import type { Message } from "@/lib/protocol";
import { laterState, mergeMessages } from "@/lib/client/merge-messages";
import { toggleReaction } from "@/lib/client/reactions";
import type { ChatAction } from "../actions";

export type History = {
  messages: Message[];
  /** Older messages exist on the server beyond the first one held. */
  hasOlder: boolean;
};

/** The history held of each conversation opened, by conversation id. */
export type Histories = Readonly<Record<string, History>>;

export const messagesSlice = {
  initial: {} as Histories,
  reduce(state: Histories, action: ChatAction): Histories {
    switch (action.type) {
      case "conversation-left": {
        if (!state[action.conversationId]) return state;
        const { [action.conversationId]: _left, ...histories } = state;
        return histories;
      }
      case "history-loaded": {
        const current = state[action.conversationId];
        return {
          ...state,
          [action.conversationId]: {
            messages: mergeMessages(current?.messages ?? [], action.messages),
            hasOlder: action.hasOlder ?? current?.hasOlder ?? false,
          },
        };
      }
      case "messages-received": {
        const current = state[action.conversationId];
        // A conversation not opened yet loads its newest page when opened; holding a few messages would hide the rest.
        if (!current) return state;
        const messages = mergeMessages(current.messages, action.messages);
        return messages === current.messages ? state : { ...state, [action.conversationId]: { ...current, messages } };
      }
      case "message-changed": {
        const { message } = action;
        // The feed's changes come in order and say how the message is now; an ack's copy may be older.
        return updateMessage(state, message.conversationId, message.seq, (held) =>
          action.changeSeq !== null ? message : laterState(held, message),
        );
      }
      case "reactions-changed":
        return updateMessage(state, action.conversationId, action.seq, (m) => ({ ...m, reactions: action.reactions }));
      case "reaction-toggled": {
        const { emoji, userId, present } = action;
        return updateMessage(state, action.conversationId, action.seq, (m) => {
          const reactions = toggleReaction(m.reactions, emoji, userId, present);
          return reactions === m.reactions ? m : { ...m, reactions };
        });
      }
      default:
        return state;
    }
  },
};

/** The newest sequence number held for a conversation: catch-up asks for everything after it. */
export function lastHeldSeq(histories: Histories, conversationId: string): number | null {
  const messages = histories[conversationId]?.messages;
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

/** The histories with one held message replaced; the same object when it is not held or did not change. */
function updateMessage(
  state: Histories,
  conversationId: string,
  seq: number,
  change: (message: Message) => Message,
): Histories {
  const current = state[conversationId];
  const index = current?.messages.findIndex((m) => m.seq === seq) ?? -1;
  if (!current || index < 0) return state;
  const before = current.messages[index]!;
  const after = change(before);
  if (after === before) return state;
  const messages = current.messages.with(index, after);
  return { ...state, [conversationId]: { ...current, messages } };
}
