import type { Conversation, ConversationInfo, Message, Person, Reaction } from "@/lib/protocol";
import type { OutboxItem } from "./outbox-storage";

export type Connection = "connecting" | "connected" | "disconnected";

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
  | { type: "last-seqs-synced"; lastSeqs: { id: string; lastSeq: number }[]; at: string }
  /** Your read position moved (never backwards). */
  | { type: "read-moved"; conversationId: string; lastReadSeq: number }
  /** A page next to what is held (older, newer, or the newest when nothing was). */
  | { type: "history-loaded"; conversationId: string; messages: Message[]; hasOlder?: boolean; hasNewer?: boolean }
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
    }
  /** Live messages of one conversation: an ack's, or a messages:new event's. */
  | { type: "messages-received"; conversationId: string; messages: Message[] }
  /** A message edited or deleted: from the feed (with its position there), or from the ack of one's own change. */
  | { type: "message-changed"; message: Message; changeSeq: number | null }
  /** A message's reactions as the feed says they are now. */
  | { type: "reactions-changed"; conversationId: string; seq: number; reactions: Reaction[]; changeSeq: number }
  /** One's own reaction shown at once, before the server has it (or taken back when it refused). */
  | { type: "reaction-toggled"; conversationId: string; seq: number; emoji: string; userId: string; present: boolean }
  | { type: "outbox-loaded"; items: OutboxItem[] }
  /** An item written by this tab or, through a storage event, by another. */
  | { type: "outbox-item-saved"; item: OutboxItem }
  | { type: "outbox-items-removed"; clientMessageIds: string[] }
  | { type: "connection-changed"; connection: Connection };
