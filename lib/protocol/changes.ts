import { z } from "@/lib/zod";
import { conversationInfoSchema, conversationSchema, personSchema } from "./conversations";
import { messageSchema, reactionSchema } from "./messages";
import { threadSummarySchema } from "./thread-summary";

/**
 * What a change says: always the new state of one thing, never a difference,
 * so that applying a stream's changes in order from any point ends in the same
 * state as a fresh load.
 */
export const changeDataSchema = z.discriminatedUnion("kind", [
  /** Conversation stream: its name, topic, description, privacy, archive state or member count changed. */
  z.object({ kind: z.literal("conversation"), conversation: conversationInfoSchema }),
  /** Conversation stream: someone joined (`member`) or left (null). */
  z.object({ kind: z.literal("member"), conversationId: z.uuid(), userId: z.uuid(), member: personSchema.nullable() }),
  /** User stream: you are in this conversation now (as you have it), or no longer (null). */
  z.object({ kind: z.literal("membership"), conversationId: z.uuid(), conversation: conversationSchema.nullable() }),
  /** Conversation stream: a message as it is now, after an edit or a delete. */
  z.object({ kind: z.literal("message"), message: messageSchema }),
  /** Conversation stream: a message's reactions as they are now. */
  z.object({
    kind: z.literal("reactions"),
    conversationId: z.uuid(),
    seq: z.number().int().positive(),
    reactions: z.array(reactionSchema),
  }),
  /** Conversation stream: the replies of one of its messages, as its summary shows them now. */
  z.object({
    kind: z.literal("thread"),
    conversationId: z.uuid(),
    seq: z.number().int().positive(),
    thread: threadSummarySchema,
  }),
  /** User stream: you follow a thread now (`conversationId`: the thread's), or no longer. */
  z.object({
    kind: z.literal("following"),
    conversationId: z.uuid(),
    parentId: z.uuid(),
    rootSeq: z.number().int().positive(),
    following: z.boolean(),
  }),
  /** User stream: how far you have read in a conversation (or a thread you follow). */
  z.object({ kind: z.literal("read"), conversationId: z.uuid(), lastReadSeq: z.number().int().min(0) }),
]);
export type ChangeData = z.infer<typeof changeDataSchema>;

export const changeSchema = z.object({
  /** A user stream (id: the user's) carries their own state; a conversation stream what all its members see. */
  scope: z.enum(["user", "conversation"]),
  streamId: z.uuid(),
  /** Position in the stream; each stream counts from 1, without gaps as they commit. */
  seq: z.number().int().positive(),
  /**
   * The sequence number of the newest message of the conversation the change
   * is about when it was made. Messages up to it came before the change, later
   * ones after it: every chat server emits a conversation's events in that order.
   */
  atSeq: z.number().int().min(0),
  data: changeDataSchema,
  /** A thread's stream: its parent, whose room hears the thread (it has no room of its own). */
  parentId: z.uuid().optional(),
});
export type Change = z.infer<typeof changeSchema>;

/** Most streams one request may ask about: a client in more conversations asks in several requests. */
export const MAX_STREAMS_PER_REQUEST = 100;
/** Most changes of one stream in one answer; `hasMore` says to ask again from the last. */
export const CHANGES_PAGE_SIZE = 500;

export const listChangesInput = z.object({
  streams: z
    .array(
      z.object({
        id: z.uuid("Unknown stream").transform((id) => id.toLowerCase()),
        after: z.number().int().min(0),
      }),
    )
    .min(1)
    .max(MAX_STREAMS_PER_REQUEST, `Ask about at most ${MAX_STREAMS_PER_REQUEST} streams at a time`)
    .refine((s) => new Set(s.map((x) => x.id)).size === s.length, "Name each stream once"),
});
export type ListChangesInput = z.input<typeof listChangesInput>;

export const changePageSchema = z.object({
  streams: z.array(z.object({ id: z.uuid(), changes: z.array(changeSchema), hasMore: z.boolean() })),
});
export type ChangePage = z.infer<typeof changePageSchema>;

const streamStateSchema = z.object({
  id: z.uuid(),
  lastSeq: z.number().int().min(0),
  changeSeq: z.number().int().min(0),
});

/** Where each of your conversations stands, sent after every connect. */
export const syncSchema = z.object({
  /** Your own stream's position. */
  changeSeq: z.number().int().min(0),
  conversations: z.array(
    streamStateSchema.extend({
      /** Your unread mentions there (as the sidebar's): messages missed while away may mention you. */
      mentionSeqs: z.array(z.number().int().min(1)),
    }),
  ),
  /** The threads you follow, to catch up the same way. */
  threads: z.array(streamStateSchema),
});
export type Sync = z.infer<typeof syncSchema>;
