import type { Conversation } from "@/lib/protocol";
import type { ConversationRow } from "./access-conversation";

export function toWireConversation(row: ConversationRow, lastReadSeq: number): Conversation {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    topic: row.topic,
    isPrivate: row.isPrivate,
    lastSeq: row.lastSeq,
    lastReadSeq,
  };
}
