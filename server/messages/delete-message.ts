import { sql } from "drizzle-orm";
import { deleteMessageInput, type Message } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { rewriteMessage } from "./rewrite-message";

/**
 * Deletes a message (yours, or anyone's as an admin): its text is erased from
 * storage with its reactions, and a tombstone keeps its place and sequence number, so history
 * stays gapless and unread counts stay exact.
 */
export function deleteMessage(user: SessionUser, input: unknown): Promise<Message> {
  const ref = deleteMessageInput.parse(input);
  return rewriteMessage(user, ref, "deleteMessage", { text: "", deletedAt: sql`now()`, reactions: [] });
}
