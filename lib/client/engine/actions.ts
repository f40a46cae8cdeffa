import type { Conversation, Message } from "@/lib/protocol";
import type { OutboxItem } from "./outbox-storage";

export type Connection = "connecting" | "connected" | "disconnected";

/** Everything that changes what the chat shows. Each slice's reducer picks the actions it cares about. */
export type ChatAction =
  | { type: "conversations-loaded"; conversations: Conversation[] }
  | { type: "conversation-joined"; conversation: Conversation }
  | { type: "conversation-left"; conversationId: string }
  | { type: "history-loaded"; conversationId: string; messages: Message[]; hasOlder?: boolean }
  /** Live messages of one conversation: an ack's, or a messages:new event's. */
  | { type: "messages-received"; conversationId: string; messages: Message[] }
  | { type: "outbox-loaded"; items: OutboxItem[] }
  /** An item written by this tab or, through a storage event, by another. */
  | { type: "outbox-item-saved"; item: OutboxItem }
  | { type: "outbox-items-removed"; clientMessageIds: string[] }
  | { type: "connection-changed"; connection: Connection };
