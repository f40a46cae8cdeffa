import { z } from "@/lib/zod";
import { changeSchema, syncSchema, type Change, type ListChangesInput, type Sync } from "./changes";
import type { ListConversationsInput, MarkReadInput } from "./conversations";
import type { Ack } from "./errors";
import type { JsonBytes } from "./json-bytes";
import {
  messageSchema,
  type DeleteMessageInput,
  type EditMessageInput,
  type HistoryRequest,
  type Message,
  type MessagePage,
  type Reaction,
  type RemovePreviewInput,
  type SendMessageInput,
} from "./messages";
import type { ReactInput } from "./reactions";
import type { FollowThreadInput, ListThreadsInput, ReplyInput, ThreadList } from "./threads";

/** Schemas of everything the server emits, by event name, so tests can check each emit. */
export const serverEventSchemas = {
  "messages:new": z.array(messageSchema).min(1),
  changes: z.array(changeSchema).min(1),
  "conversations:sync": syncSchema,
} as const;

export interface ServerToClientEvents {
  /**
   * New messages of one conversation, in sequence order: those stored together
   * arrive in one event. A sender's own message comes in its ack instead.
   */
  "messages:new": (messages: Message[]) => void;
  /**
   * Changes of one stream, in order: of a conversation you are in (to its
   * room), or your own (to all your devices). Each conversation's messages and
   * changes reach a socket in the order they were committed.
   */
  changes: (changes: Change[]) => void;
  /**
   * Sent once after every connect, read after the socket joined its rooms:
   * a stream whose changeSeq, or a conversation whose lastSeq, is past what the
   * client holds has something to fetch; the others need no request.
   */
  "conversations:sync": (sync: Sync) => void;
}

export interface ClientToServerEvents {
  "message:send": (input: SendMessageInput, ack: (result: Ack<Message>) => void) => void;
  /** Edits one of your messages; the answer is the message as it is now. */
  "message:edit": (input: EditMessageInput, ack: (result: Ack<Message>) => void) => void;
  /** Deletes a message (yours, or anyone's as an admin); the answer is its tombstone. */
  "message:delete": (input: DeleteMessageInput, ack: (result: Ack<Message>) => void) => void;
  /** Removes the link preview of one of your messages; the answer is the message as it is now. */
  "message:remove-preview": (input: RemovePreviewInput, ack: (result: Ack<Message>) => void) => void;
  /** Reacts to a message with an emoji (once per person and emoji); the answer is its reactions now. */
  "reaction:add": (input: ReactInput, ack: (result: Ack<Reaction[]>) => void) => void;
  /** Takes back one's reaction; the answer is the message's reactions now. */
  "reaction:remove": (input: ReactInput, ack: (result: Ack<Reaction[]>) => void) => void;
  /** History and catch-up over the open socket: the session was checked at the handshake. */
  "messages:history": (input: HistoryRequest, ack: (result: Ack<MessagePage>) => void) => void;
  /** The sidebar over the open socket: what GET /api/conversations answers (`sidebarSchema`), as UTF-8 JSON. */
  "conversations:list": (input: ListConversationsInput, ack: (result: Ack<JsonBytes>) => void) => void;
  /** Changes after the positions held, for up to 100 streams at once. */
  "changes:list": (input: ListChangesInput, ack: (result: Ack<JsonBytes>) => void) => void;
  /** Replies to a message in its thread (made by the first reply); the answer is the stored reply. */
  "thread:reply": (input: ReplyInput, ack: (result: Ack<Message>) => void) => void;
  /** Follows a message's thread, or stops; the answer names the thread (null: nobody replied or followed). */
  "thread:follow": (
    input: FollowThreadInput,
    ack: (result: Ack<{ threadId: string | null; following: boolean }>) => void,
  ) => void;
  /** The threads you follow, unread ones first. */
  "threads:list": (input: ListThreadsInput, ack: (result: Ack<ThreadList>) => void) => void;
  /** Moves your read position forward (in a conversation or a thread); the answer is where it stands. */
  "conversation:read": (input: MarkReadInput, ack: (result: Ack<{ lastReadSeq: number }>) => void) => void;
}
