import { normalizeEmoji } from "@/lib/emoji/catalog";
import { z } from "@/lib/zod";
import { messageRef } from "./messages";

/**
 * What a reaction request carries, checked against the emoji catalog. Not exported from the protocol's
 * index: the catalog is large, and the browser needs only these types (and the picker, loaded lazily,
 * its own data).
 */

/** Most different emoji on one message: each is a pill under it. */
export const MAX_REACTION_KINDS = 50;

/** One known emoji, in the one form Parley keeps it in. */
const emojiSchema = z
  .string("emoji is a string")
  .max(64, "Unknown emoji")
  .transform((value, ctx) => {
    const emoji = normalizeEmoji(value);
    if (emoji === null) {
      ctx.addIssue({ code: "custom", message: "Unknown emoji" });
      return z.NEVER;
    }
    return emoji;
  });

/** Adds your reaction to a message, or takes it back: each person counts once per emoji. */
export const reactInput = z.object({ ...messageRef, emoji: emojiSchema });
export type ReactInput = z.input<typeof reactInput>;
