import { and, eq } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { messages, reactions } from "@/drizzle/schema";
import { decideEveryoneMention, type MessageAction } from "@/lib/policy/rules";
import type { Message } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessMessage, type MessageRef } from "@/server/policy/access-message";
import { firstWebLink } from "@/lib/markdown/links";
import { AppError } from "@/server/errors";
import { messageOfRow } from "./message-rows";
import { rewriteMentions } from "./rewrite-mentions";

type NewState = Pick<
  PgUpdateSetSource<typeof messages>,
  "text" | "editedAt" | "deletedAt" | "reactions" | "linkPreview" | "linkPreviewRemoved"
>;

/**
 * Changes a stored message (edit, delete) once the rules allow it, and records
 * its new state in the conversation's change feed, so that every member's
 * devices, live or catching up later, show it as it is now.
 */
export function rewriteMessage(
  user: Pick<SessionUser, "id" | "role">,
  ref: MessageRef,
  action: MessageAction,
  state: NewState,
): Promise<Message> {
  return changing(async (tx, record) => {
    const { message: before, access } = await accessMessage(user, ref, action, tx);
    // Deleted already (from another device, say): the tombstone is the answer, and nothing changed.
    if (before.deletedAt) return messageOfRow(tx, before);
    // A deleted message keeps no reactions: its tombstone shows none.
    if (action === "deleteMessage") await tx.delete(reactions).where(eq(reactions.messageId, before.id));
    // An edit that changes the first link drops the old link's preview; the new one's is fetched after.
    const linkChanged = typeof state.text === "string" && firstWebLink(state.text) !== firstWebLink(before.text);
    const set = linkChanged ? { ...state, linkPreview: null } : state;
    const [row] = await tx
      .update(messages)
      .set(set)
      .where(and(eq(messages.conversationId, ref.conversationId), eq(messages.seq, ref.seq)))
      .returning();
    if (!row) throw new Error("The locked message was not updated");
    if (typeof state.text === "string") {
      const { everyone } = await rewriteMentions(tx, row, access.thread ? access.conversation.id : null);
      const allowed = decideEveryoneMention(user, access.conversation);
      if (everyone && !allowed.allowed) throw new AppError(allowed.code, allowed.message);
    }
    const message = await messageOfRow(tx, row);
    // Who reacted goes from the feed too, not only from the message: a later catch-up finds none.
    if (action === "deleteMessage" && (before.reactions as unknown[]).length > 0) {
      await record.conversation(ref.conversationId, {
        kind: "reactions",
        conversationId: ref.conversationId,
        seq: ref.seq,
        reactions: [],
      });
    }
    await record.conversation(ref.conversationId, { kind: "message", message });
    return message;
  });
}
