import { z } from "@/lib/zod";
import { messageSchema } from "./messages";

/** A page of the messages that mention you, newest first: `before` is the cursor of the last one shown. */
export const listMentionsInput = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type ListMentionsInput = z.input<typeof listMentionsInput>;

export const mentionPageSchema = z.object({
  mentions: z.array(
    z.object({
      cursor: z.number().int().min(1),
      message: messageSchema,
      /** A reply's: the conversation and the message whose thread it is in; null for a message of a conversation. */
      inThread: z.object({ parentId: z.uuid(), rootSeq: z.number().int().positive() }).nullable(),
    }),
  ),
  /** Older mentions exist past this page. */
  hasMore: z.boolean(),
});
export type MentionPage = z.infer<typeof mentionPageSchema>;
