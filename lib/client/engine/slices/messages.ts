import type { Message, Reaction } from "@/lib/protocol";
import { laterState, mergeMessages } from "@/lib/client/merge-messages";
import { toggleReaction } from "@/lib/client/reactions";
import type { ChatAction } from "../actions";

/**
 * What is held of a conversation is contiguous: a window of consecutive sequence numbers. It reaches the
 * newest message unless `hasNewer` says that it was opened around an older one (a link to a message);
 * then live messages are not added to it, which would leave a gap, and newer pages extend it instead.
 */
export type History = {
  messages: Message[];
  /** Older messages exist on the server beyond the first one held. */
  hasOlder: boolean;
  /** Newer messages exist on the server beyond the last one held: the window does not reach the newest. */
  hasNewer?: boolean;
  /** The message the window was opened around; a list opens anew when it changes. */
  anchor?: number;
  /**
   * What the feed said of messages not held yet, by sequence number: a page read before the change
   * may still be on its way, and takes this when it comes.
   */
  ahead?: Readonly<Record<number, Ahead>>;
};

/** A change of a message not held: its whole new state, or its reactions only. */
type Ahead = { message: Message } | { reactions: Reaction[] };

/** Changes of messages not held kept per conversation; past it the oldest go (their page came long ago). */
const AHEAD_KEPT = 500;

/** The history held of each conversation opened, by conversation id. */
export type Histories = Readonly<Record<string, History>>;

export const messagesSlice = {
  initial: {} as Histories,
  reduce(state: Histories, action: ChatAction): Histories {
    switch (action.type) {
      case "conversation-left": {
        const left = state[action.conversationId];
        if (!left) return state;
        // The replies held of its threads cannot be read any more either.
        const threads = new Set(left.messages.flatMap((m) => (m.thread ? [m.thread.threadId] : [])));
        return Object.fromEntries(
          Object.entries(state).filter(([id]) => id !== action.conversationId && !threads.has(id)),
        );
      }
      case "thread-lost": {
        if (!state[action.threadId]) return state;
        const { [action.threadId]: _lost, ...histories } = state;
        return histories;
      }
      case "history-loaded": {
        const current = state[action.conversationId];
        // A page asked for next to a window that has since been replaced would leave a gap.
        if (current && !adjoins(current.messages, action.messages)) return state;
        const merged: History = {
          ...current,
          messages: mergeMessages(current?.messages ?? [], action.messages),
          hasOlder: action.hasOlder ?? current?.hasOlder ?? false,
          hasNewer: action.hasNewer ?? current?.hasNewer ?? false,
        };
        return { ...state, [action.conversationId]: applyAhead(merged) };
      }
      case "history-window-loaded": {
        const { conversationId, messages, hasOlder, hasNewer, anchor } = action;
        const replaced: History = { ...state[conversationId], messages, hasOlder, hasNewer, anchor };
        return { ...state, [conversationId]: applyAhead(replaced) };
      }
      case "messages-received": {
        const current = state[action.conversationId];
        // A conversation not opened yet loads its newest page when opened; holding a few messages would hide
        // the rest. A window on older messages gets them with its newer pages.
        if (!current || current.hasNewer) return state;
        const messages = mergeMessages(current.messages, action.messages);
        return messages === current.messages
          ? state
          : { ...state, [action.conversationId]: applyAhead({ ...current, messages }) };
      }
      case "message-changed": {
        const { message } = action;
        if (action.changeSeq === null) {
          // An ack's copy may be older than what the feed brought meanwhile.
          return updateMessage(state, message.conversationId, message.seq, (held) => laterState(held, message));
        }
        // The feed's changes come in order and say how the message is now.
        return changeFromFeed(state, message.conversationId, message.seq, { message });
      }
      case "reactions-changed":
        return changeFromFeed(state, action.conversationId, action.seq, { reactions: action.reactions });
      case "thread-summary-changed": {
        const { thread } = action;
        // Summaries only grow: a copy with fewer replies (an older page's) never replaces a newer one.
        return updateMessage(state, action.conversationId, action.seq, (m) =>
          m.thread && m.thread.replyCount >= thread.replyCount ? m : { ...m, thread },
        );
      }
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

/**
 * The newest sequence number held for a conversation whose history reaches the newest message: catch-up
 * asks for everything after it. Null when the newest messages are not held (never opened, or a window on
 * older ones), so there is nothing to catch up.
 */
export function lastHeldSeq(histories: Histories, conversationId: string): number | null {
  const history = histories[conversationId];
  if (!history || history.hasNewer) return null;
  return history.messages[history.messages.length - 1]?.seq ?? 0;
}

/** A page overlaps or touches what is held (or either is empty), so merging them leaves no gap. */
function adjoins(held: Message[], page: Message[]): boolean {
  const first = held[0];
  const last = held[held.length - 1];
  const pageFirst = page[0];
  const pageLast = page[page.length - 1];
  if (!first || !last || !pageFirst || !pageLast) return true;
  return pageFirst.seq <= last.seq + 1 && pageLast.seq >= first.seq - 1;
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

/** A change from the feed: applied to the message held, or kept until its page comes. */
function changeFromFeed(state: Histories, conversationId: string, seq: number, change: Ahead): Histories {
  const current = state[conversationId];
  if (!current) return state;
  if (current.messages.some((m) => m.seq === seq)) {
    return updateMessage(state, conversationId, seq, (held) => applied(held, change));
  }
  const earlier = current.ahead?.[seq];
  const next: Ahead =
    "reactions" in change && earlier && "message" in earlier
      ? { message: { ...earlier.message, reactions: change.reactions } }
      : change;
  const entries = Object.entries({ ...current.ahead, [seq]: next });
  const ahead = Object.fromEntries(entries.slice(Math.max(0, entries.length - AHEAD_KEPT)));
  return { ...state, [conversationId]: { ...current, ahead } };
}

function applied(held: Message, change: Ahead): Message {
  return "message" in change ? change.message : { ...held, reactions: change.reactions };
}

/** Puts what the feed said of messages that have just come in onto them. */
function applyAhead(history: History): History {
  const { ahead } = history;
  if (!ahead) return history;
  let found = false;
  const messages = history.messages.map((m) => {
    const change = ahead[m.seq];
    if (!change) return m;
    found = true;
    return applied(m, change);
  });
  if (!found) return history;
  const held = new Set(history.messages.map((m) => m.seq));
  const left = Object.fromEntries(Object.entries(ahead).filter(([seq]) => !held.has(Number(seq))));
  return { ...history, messages, ahead: left };
}
