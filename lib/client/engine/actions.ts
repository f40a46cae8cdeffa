import { mentionsReader, namesReader } from "@/lib/markdown/mentions";
import type {
  Conversation,
  ConversationInfo,
  FollowedThread,
  Message,
  Person,
  Reaction,
  ThreadSummary,
} from "@/lib/protocol";
import type { OutboxItem } from "./outbox-storage";

export type Connection = "connecting" | "connected" | "disconnected";

/**
 * `mentioned` on the actions that bring messages: which of them mention the reader (the sequence
 * numbers, or for one changed message whether it does), as the engine works out when it dispatches
 * them (`withMentions`), since the reducers do not know who reads. `named`: the same, by name only, as a
 * thread's replies mention people (@channel and @here call no one there).
 */
/** Everything that changes what the chat shows. Each slice's reducer picks the actions it cares about. */
export type ChatAction =
  | { type: "conversations-loaded"; conversations: Conversation[] }
  /** You are in this conversation (again): as the server has it for you. */
  | { type: "conversation-joined"; conversation: Conversation }
  | { type: "conversation-left"; conversationId: string }
  /** A conversation's shared state changed; `changeSeq`: its feed position now held. */
  | { type: "conversation-changed"; info: ConversationInfo; changeSeq: number }
  /** Someone joined (`member`) or left (null) a conversation. */
  | { type: "member-changed"; conversationId: string; userId: string; member: Person | null; changeSeq: number }
  | { type: "members-loaded"; conversationId: string; members: Person[] }
  /**
   * Where each conversation's messages stand after a connect (conversations:sync), read `at` that time:
   * the newest time known for messages that came while away, unseen.
   */
  | { type: "last-seqs-synced"; lastSeqs: { id: string; lastSeq: number; mentionSeqs?: number[] }[]; at: string }
  /** Your read position moved (never backwards). */
  | { type: "read-moved"; conversationId: string; lastReadSeq: number }
  /** A page next to what is held (older, newer, or the newest when nothing was). */
  | {
      type: "history-loaded";
      conversationId: string;
      messages: Message[];
      hasOlder?: boolean;
      hasNewer?: boolean;
      mentioned?: number[];
      named?: number[];
    }
  /**
   * Messages that replace what is held: around a message a link points to (`anchor`), or the newest page
   * again after reading such a window.
   */
  | {
      type: "history-window-loaded";
      conversationId: string;
      messages: Message[];
      hasOlder: boolean;
      hasNewer: boolean;
      anchor?: number;
      mentioned?: number[];
      named?: number[];
    }
  /** Live messages of one conversation: an ack's, or a messages:new event's. */
  | { type: "messages-received"; conversationId: string; messages: Message[]; mentioned?: number[]; named?: number[] }
  /** A message edited or deleted: from the feed (with its position there), or from the ack of one's own change. */
  | { type: "message-changed"; message: Message; changeSeq: number | null; mentioned?: boolean; named?: boolean }
  /** A message's reactions as the feed says they are now. */
  | { type: "reactions-changed"; conversationId: string; seq: number; reactions: Reaction[]; changeSeq: number }
  /** One's own reaction shown at once, before the server has it (or taken back when it refused). */
  | { type: "reaction-toggled"; conversationId: string; seq: number; emoji: string; userId: string; present: boolean }
  | { type: "outbox-loaded"; items: OutboxItem[] }
  /** An item written by this tab or, through a storage event, by another. */
  | { type: "outbox-item-saved"; item: OutboxItem }
  | { type: "outbox-items-removed"; clientMessageIds: string[] }
  | { type: "connection-changed"; connection: Connection }
  /** The threads the person follows, as the server lists them. */
  | { type: "threads-loaded"; threads: FollowedThread[] }
  /** The person stopped following a thread (the list is read again when they start). */
  | { type: "thread-unfollowed"; threadId: string }
  /** A thread opened here that the person may no longer read (they left its conversation): its replies go. */
  | { type: "thread-lost"; threadId: string }
  /** The replies of a message, as its summary shows them now (from its conversation's feed). */
  | { type: "thread-summary-changed"; conversationId: string; seq: number; thread: ThreadSummary; changeSeq: number };

/** The action with its `mentioned` worked out for this reader. */
export function withMentions(action: ChatAction, readerId: string): ChatAction {
  const mentions = (m: Message) => mentionsReader(m.text, m.sender.id, readerId);
  const names = (m: Message) => namesReader(m.text, m.sender.id, readerId);
  switch (action.type) {
    case "history-loaded":
    case "history-window-loaded":
    case "messages-received": {
      const seqs = (test: (m: Message) => boolean) => action.messages.filter(test).map((m) => m.seq);
      return { ...action, mentioned: seqs(mentions), named: seqs(names) };
    }
    case "message-changed":
      return { ...action, mentioned: mentions(action.message), named: names(action.message) };
    default:
      return action;
  }
}
