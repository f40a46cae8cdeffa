import { and, eq, sql } from "drizzle-orm";
import { sendMessageInput, type Message } from "@/lib/protocol";
import { conversations, messages } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation } from "@/server/conversations/access-conversation";
import { db, type Executor } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";
import { toWireMessage } from "./to-wire";

/**
 * Stores a message and reports it once committed. The sequence number comes
 * from the conversation row, incremented in the same transaction, so the row
 * lock orders concurrent senders and numbers have no gaps. A resend with the
 * same clientMessageId returns the message already stored.
 */
export async function sendMessage(user: SessionUser, input: unknown): Promise<Message> {
  const data = sendMessageInput.parse(input);
  let stored: { message: Message; created: boolean };
  try {
    stored = await db().transaction(async (tx) => {
      const existing = await findByClientId(tx, user, data.clientMessageId);
      if (existing) return { message: existing, created: false };
      const { conversation } = await accessConversation(user, data.conversationId, tx);
      if (conversation.archivedAt) throw new AppError("forbidden", "This conversation is archived");
      const [next] = await tx
        .update(conversations)
        .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
        .where(eq(conversations.id, conversation.id))
        .returning({ seq: conversations.lastSeq });
      if (!next) throw new Error("Sequence update returned nothing");
      const [row] = await tx
        .insert(messages)
        .values({
          conversationId: conversation.id,
          seq: next.seq,
          senderId: user.id,
          clientMessageId: data.clientMessageId,
          text: data.text,
        })
        .returning();
      if (!row) throw new Error("Message insert returned nothing");
      return { message: toWireMessage(row, user.name), created: true };
    });
  } catch (error) {
    // The same message sent twice at once: the loser rolled back without a gap; answer with the winner.
    if (!isUniqueViolation(error, "messages_sender_client_id_key")) throw error;
    const existing = await findByClientId(db(), user, data.clientMessageId);
    if (!existing) throw error;
    stored = { message: existing, created: false };
  }
  if (stored.message.conversationId !== data.conversationId) {
    throw new AppError("conflict", "This clientMessageId was already used for another conversation");
  }
  if (stored.created) publish("message.created", stored.message);
  return stored.message;
}

async function findByClientId(exec: Executor, user: SessionUser, clientMessageId: string): Promise<Message | null> {
  const [row] = await exec
    .select()
    .from(messages)
    .where(and(eq(messages.senderId, user.id), eq(messages.clientMessageId, clientMessageId)))
    .limit(1);
  return row ? toWireMessage(row, user.name) : null;
}
