import { z } from "@/lib/zod";
import { conversationIdSchema } from "./conversations";
import { linkPreviewSchema } from "./link-previews";
import { textSchema } from "./text";
import { alsoSentFromSchema, threadSummarySchema } from "./thread-summary";

export const MAX_MESSAGE_LENGTH = 16_000;
const HISTORY_PAGE_SIZE = 50;
/**
 * A history page stops before its message text passes this many UTF-8 bytes
 * (it always holds at least one message) and then says hasMore: 200 messages
 * of 16,000 characters would be up to 9.6 MB.
 */
export const MAX_HISTORY_PAGE_BYTES = 1_000_000;

const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;

const messageTextSchema = textSchema("Message text")
  .max(MAX_MESSAGE_LENGTH, `Messages are limited to ${MAX_MESSAGE_LENGTH} characters`)
  // Zero-width and other invisible characters alone would make a message nobody can see.
  .refine((text) => VISIBLE.test(text), "Message is empty");

export const sendMessageInput = z.object({
  conversationId: conversationIdSchema,
  clientMessageId: z.uuid("clientMessageId must be a UUID"),
  text: messageTextSchema,
});
export type SendMessageInput = z.infer<typeof sendMessageInput>;

/** HTTP body of a send: the conversation comes from the URL. */
export const postMessageBody = sendMessageInput.omit({ conversationId: true });

const SEQ_MESSAGE = "seq is a message's sequence number";

/**
 * A message's sequence number: a positive integer, or its decimal digits (in a URL). Nothing else is
 * read as one (no "0x2", "2e0", [2] or true), so that each message has one name.
 */
export const seqSchema = z.union(
  [
    z.number(SEQ_MESSAGE).int(SEQ_MESSAGE).positive(SEQ_MESSAGE),
    z
      .string(SEQ_MESSAGE)
      .regex(/^[1-9][0-9]{0,15}$/, SEQ_MESSAGE)
      .transform(Number),
  ],
  SEQ_MESSAGE,
);

/** A whole number from `min` to `max`, or its decimal digits (in a URL), and nothing else read as one. */
function wholeNumber(name: string, min: number, max: number) {
  const message = `${name} is a whole number from ${min} to ${max}`;
  return z.union(
    [
      z.number(message).int(message).min(min, message).max(max, message),
      z
        .string(message)
        .regex(/^(0|[1-9][0-9]{0,15})$/, message)
        .transform(Number)
        .pipe(z.number().min(min, message).max(max, message)),
    ],
    message,
  );
}

/** A message is named by its conversation and its sequence number there. */
export const messageRef = {
  conversationId: conversationIdSchema,
  seq: seqSchema,
};

/** New text for one of your messages. */
export const editMessageInput = z.object({ ...messageRef, text: messageTextSchema });
export type EditMessageInput = z.input<typeof editMessageInput>;
/** HTTP body of an edit: the message comes from the URL. */
export const editMessageBody = editMessageInput.pick({ text: true });

/** Removes a message's link preview, for good: its sender's choice. */
export const removePreviewInput = z.object(messageRef);
export type RemovePreviewInput = z.input<typeof removePreviewInput>;

/** Deletes a message: its text is erased and a tombstone stays in its place. */
export const deleteMessageInput = z.object(messageRef);
export type DeleteMessageInput = z.input<typeof deleteMessageInput>;

/**
 * A page of history. `before`: older than this sequence number; `after`: newer
 * than it (catch-up); neither: the newest page.
 */
export const historyRequest = z
  .object({
    conversationId: conversationIdSchema,
    before: seqSchema.optional(),
    after: wholeNumber("after", 0, Number.MAX_SAFE_INTEGER).optional(),
    limit: wholeNumber("limit", 1, 200).default(HISTORY_PAGE_SIZE),
  })
  .refine((q) => q.before === undefined || q.after === undefined, "Use either before or after, not both");
export type HistoryRequest = z.input<typeof historyRequest>;

/** One emoji on a message and who put it there, in the order they did. */
export const reactionSchema = z.object({ emoji: z.string(), userIds: z.array(z.uuid()).min(1) });
export type Reaction = z.infer<typeof reactionSchema>;

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.uuid(),
  seq: z.number().int().positive(),
  sender: z.object({ id: z.uuid(), name: z.string() }),
  clientMessageId: z.uuid(),
  text: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  editedAt: z.iso.datetime({ offset: true }).nullable(),
  /** A deleted message keeps its place (and sequence number) with empty text. */
  deletedAt: z.iso.datetime({ offset: true }).nullable(),
  reactions: z.array(reactionSchema),
  /** The preview of its first link, once the server has fetched it; null: none (yet). */
  linkPreview: linkPreviewSchema.nullable(),
  /** Its replies, when it has any (a message of a channel, direct or group message only). */
  thread: threadSummarySchema.nullable(),
  /** A reply also sent here from its thread; null for anything else. */
  alsoSentFrom: alsoSentFromSchema.nullable(),
});
export type Message = z.infer<typeof messageSchema>;

export const messagePageSchema = z.object({
  messages: z.array(messageSchema),
  /** More messages exist beyond this page in the direction asked. */
  hasMore: z.boolean(),
});
export type MessagePage = z.infer<typeof messagePageSchema>;
