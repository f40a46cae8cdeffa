import type { Message, Reaction } from "@/lib/protocol";

/**
 * The hot message queries are plain SQL run as prepared statements (see
 * `query` in server/db/client.ts); these are the columns they return, as the
 * wire needs them, for a message `m` and a sender name expression.
 */
export function messageColumns(senderName: string): string {
  return `m.id::text as id, m.conversation_id, m.seq::text as seq, m.sender_id, ${senderName} as sender_name,
    m.client_message_id, m.text, (extract(epoch from m.created_at) * 1000)::float8 as created_ms,
    (extract(epoch from m.edited_at) * 1000)::float8 as edited_ms,
    (extract(epoch from m.deleted_at) * 1000)::float8 as deleted_ms, m.reactions`;
}

export type MessageRow = {
  id: string;
  conversation_id: string;
  seq: string;
  sender_id: string;
  sender_name: string;
  client_message_id: string;
  text: string;
  created_ms: number;
  edited_ms: number | null;
  deleted_ms: number | null;
  reactions: Reaction[];
};

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    sender: { id: row.sender_id, name: row.sender_name },
    clientMessageId: row.client_message_id,
    text: row.text,
    createdAt: new Date(row.created_ms).toISOString(),
    editedAt: isoOrNull(row.edited_ms),
    deletedAt: isoOrNull(row.deleted_ms),
    reactions: row.reactions,
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
