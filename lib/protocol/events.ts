import { z } from "@/lib/zod";
import { conversationSchema, type Conversation } from "./conversations";
import type { Ack } from "./errors";
import { messageSchema, type HistoryRequest, type Message, type MessagePage, type SendMessageInput } from "./messages";

const conversationLeftSchema = z.object({ conversationId: z.uuid() });

/** Where each of your conversations stands: what a client compares with what it holds after connecting. */
const conversationStatesSchema = z.array(z.object({ id: z.uuid(), lastSeq: z.number().int().min(0) }));
export type ConversationStates = z.infer<typeof conversationStatesSchema>;

/** Schemas of everything the server emits, by event name, so tests can check each emit. */
export const serverEventSchemas = {
  "messages:new": z.array(messageSchema).min(1),
  "conversation:joined": conversationSchema,
  "conversation:left": conversationLeftSchema,
  "conversations:sync": conversationStatesSchema,
} as const;

export interface ServerToClientEvents {
  /**
   * New messages of one conversation, in sequence order: those stored together
   * arrive in one event. A sender's own message comes in its ack instead.
   */
  "messages:new": (messages: Message[]) => void;
  /** One of your devices joined a conversation: show it in the sidebar. */
  "conversation:joined": (conversation: Conversation) => void;
  "conversation:left": (payload: z.infer<typeof conversationLeftSchema>) => void;
  /**
   * Sent once after every connect, read after the socket joined its rooms: a
   * conversation whose lastSeq is past what the client holds has messages to
   * fetch; the others need no request.
   */
  "conversations:sync": (states: ConversationStates) => void;
}

export interface ClientToServerEvents {
  "message:send": (input: SendMessageInput, ack: (result: Ack<Message>) => void) => void;
  /** History and catch-up over the open socket: the session was checked at the handshake. */
  "messages:history": (input: HistoryRequest, ack: (result: Ack<MessagePage>) => void) => void;
}
