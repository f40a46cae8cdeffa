import { z } from "zod";
import { conversationSchema, type Conversation } from "./conversations";
import type { Ack } from "./errors";
import { messageSchema, type HistoryRequest, type Message, type MessagePage, type SendMessageInput } from "./messages";

export const conversationLeftSchema = z.object({ conversationId: z.uuid() });

/** Schemas of everything the server emits, by event name, so tests can check each emit. */
export const serverEventSchemas = {
  "message:new": messageSchema,
  "conversation:joined": conversationSchema,
  "conversation:left": conversationLeftSchema,
} as const;

export interface ServerToClientEvents {
  "message:new": (message: Message) => void;
  /** One of your devices joined a conversation: show it in the sidebar. */
  "conversation:joined": (conversation: Conversation) => void;
  "conversation:left": (payload: z.infer<typeof conversationLeftSchema>) => void;
}

export interface ClientToServerEvents {
  "message:send": (input: SendMessageInput, ack: (result: Ack<Message>) => void) => void;
  /** History and catch-up over the open socket: the session was checked at the handshake. */
  "messages:history": (input: HistoryRequest, ack: (result: Ack<MessagePage>) => void) => void;
}
