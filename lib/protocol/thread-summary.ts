import { z } from "@/lib/zod";

/** Most repliers a root message shows, newest first. */
export const SUMMARY_REPLIERS = 3;

/**
 * What a message that has replies shows under it: kept on its row and sent through its conversation's
 * feed with every reply, so that it is the same after a fresh load and after catching up.
 */
export const threadSummarySchema = z.object({
  threadId: z.uuid(),
  /** Replies so far, deleted ones included: the thread's newest sequence number. */
  replyCount: z.number().int().min(1),
  lastReplyAt: z.iso.datetime({ offset: true }),
  /** The people who replied last, newest first, each once. */
  replierIds: z.array(z.uuid()).min(1).max(SUMMARY_REPLIERS),
});
export type ThreadSummary = z.infer<typeof threadSummarySchema>;

/**
 * On a reply's copy in the conversation ("also send to the channel"): the thread it was written in, and
 * the reply's number there (`seq`; copies stored before it was kept have none).
 */
export const alsoSentFromSchema = z.object({
  threadId: z.uuid(),
  rootSeq: z.number().int().positive(),
  seq: z.number().int().positive().optional(),
});
export type AlsoSentFrom = z.infer<typeof alsoSentFromSchema>;
