import { eq } from "drizzle-orm";
import { messages, users } from "@/drizzle/schema";
import type { AlsoSentFrom, LinkPreview, Message, Reaction, ThreadSummary } from "@/lib/protocol";
import type { Tx } from "@/server/db/client";

/**
 * The hot message queries are plain SQL run as prepared statements (see
 * `query` in server/db/client.ts); these are the columns they return, as the
 * wire needs them, for a message `m` and a sender name expression.
 */
export function messageColumns(senderName: string): string {
  return `m.id::text as id, m.conversation_id, m.seq::text as seq, m.sender_id, ${senderName} as sender_name,
    m.client_message_id, m.text, (extract(epoch from m.created_at) * 1000)::float8 as created_ms,
    (extract(epoch from m.edited_at) * 1000)::float8 as edited_ms,
    (extract(epoch from m.deleted_at) * 1000)::float8 as deleted_ms, m.reactions, m.link_preview, m.thread,
    m.also_sent_from`;
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
  link_preview: LinkPreview | null;
  thread: ThreadSummary | null;
  also_sent_from: AlsoSentFrom | null;
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
    linkPreview: row.link_preview,
    thread: row.thread,
    alsoSentFrom: row.also_sent_from,
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * A resend answered to a sender who may no longer read the conversation: their message as they sent
 * it, without what others made of it since (reactions, replies, a preview), which only members see.
 */
export function asSent(message: Message): Message {
  return { ...message, reactions: [], thread: null, linkPreview: null };
}

/**
 * A message as the wire has it, from its Drizzle row, inside the transaction that changed it. The
 * sender's name is read unless given (the session's, as a send stores it, when the sender changes it).
 */
export async function messageOfRow(tx: Tx, row: typeof messages.$inferSelect, senderName?: string): Promise<Message> {
  const name =
    senderName ?? (await tx.select({ name: users.name }).from(users).where(eq(users.id, row.senderId)))[0]?.name ?? "";
  return {
    id: String(row.id),
    conversationId: row.conversationId,
    seq: row.seq,
    sender: { id: row.senderId, name },
    clientMessageId: row.clientMessageId,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    reactions: row.reactions as Reaction[],
    linkPreview: row.linkPreview as LinkPreview | null,
    thread: row.thread as ThreadSummary | null,
    alsoSentFrom: row.alsoSentFrom as AlsoSentFrom | null,
  };
}
