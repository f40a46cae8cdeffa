import type { Message } from "@/lib/protocol";
import type { messages } from "@/drizzle/schema";

export type MessageRow = typeof messages.$inferSelect;

export function toWireMessage(row: MessageRow, senderName: string): Message {
  return {
    id: String(row.id),
    conversationId: row.conversationId,
    seq: row.seq,
    sender: { id: row.senderId, name: senderName },
    clientMessageId: row.clientMessageId,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
}
