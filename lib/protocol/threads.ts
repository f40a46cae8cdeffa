import { z } from "@/lib/zod";
import { conversationIdSchema } from "./conversations";
import { messageRef, messageSchema, sendMessageInput } from "./messages";

/**
 * A reply to a message of a channel, direct or group message (`conversationId`, `rootSeq`). It is a
 * message of the thread, numbered there; `alsoToChannel` posts a copy in the conversation too.
 */
export const replyInput = sendMessageInput.extend({
  rootSeq: messageRef.seq,
  alsoToChannel: z.boolean("alsoToChannel is true or false").default(false),
});
export type ReplyInput = z.input<typeof replyInput>;
/** HTTP body of a reply: the parent and the root come from the URL. */
export const replyBody = replyInput.omit({ conversationId: true, rootSeq: true });

/** Follows (hears of and counts the unread replies of) a message's thread, or stops. */
export const followThreadInput = z.object({
  conversationId: conversationIdSchema,
  rootSeq: messageRef.seq,
  following: z.boolean("following is true or false"),
});
export type FollowThreadInput = z.input<typeof followThreadInput>;
/** HTTP body of a follow: the parent and the root come from the URL. */
export const followThreadBody = followThreadInput.pick({ following: true });

/** The Threads view takes nothing: `{}`. */
export const listThreadsInput = z.object({});
export type ListThreadsInput = z.input<typeof listThreadsInput>;

/** A thread you follow, as the Threads view lists it. */
export const followedThreadSchema = z.object({
  id: z.uuid(),
  parentId: z.uuid(),
  rootSeq: z.number().int().positive(),
  /** The message replied to, with its summary. */
  root: messageSchema,
  lastSeq: z.number().int().min(0),
  lastReadSeq: z.number().int().min(0),
  /** The replies after `lastReadSeq` that mention the reader by name: the Mentions link counts them. */
  mentionSeqs: z.array(z.number().int().min(1)),
  /** The thread's change feed position this was read at. */
  changeSeq: z.number().int().min(0),
});
export type FollowedThread = z.infer<typeof followedThreadSchema>;

/** Followed threads, those with unread replies first, then newest reply first. */
export const threadListSchema = z.object({ threads: z.array(followedThreadSchema) });
export type ThreadList = z.infer<typeof threadListSchema>;
