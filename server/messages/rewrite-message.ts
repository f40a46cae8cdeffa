import { and, eq } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { messages, reactions, users } from "@/drizzle/schema";
import type { MessageAction } from "@/lib/policy/rules";
import type { Message, Reaction } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessMessage, type MessageRef } from "@/server/policy/access-message";

type NewState = Pick<PgUpdateSetSource<typeof messages>, "text" | "editedAt" | "deletedAt" | "reactions">;

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
    const { message: before } = await accessMessage(user, ref, action, tx);
    // A deleted message keeps no reactions: its tombstone shows none.
    if (action === "deleteMessage") await tx.delete(reactions).where(eq(reactions.messageId, before.id));
    const [row] = await tx
      .update(messages)
      .set(state)
      .where(and(eq(messages.conversationId, ref.conversationId), eq(messages.seq, ref.seq)))
      .returning();
    if (!row) throw new Error("The locked message was not updated");
    const [sender] = await tx.select({ name: users.name }).from(users).where(eq(users.id, row.senderId));
    const message: Message = {
      id: String(row.id),
      conversationId: row.conversationId,
      seq: row.seq,
      sender: { id: row.senderId, name: sender?.name ?? "" },
      clientMessageId: row.clientMessageId,
      text: row.text,
      createdAt: row.createdAt.toISOString(),
      editedAt: row.editedAt?.toISOString() ?? null,
      deletedAt: row.deletedAt?.toISOString() ?? null,
      reactions: row.reactions as Reaction[],
    };
    await record.conversation(ref.conversationId, { kind: "message", message });
    return message;
  });
}
