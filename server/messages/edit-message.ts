import { sql } from "drizzle-orm";
import { messages } from "@/drizzle/schema";
import { editMessageInput, type Message } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { rewriteMessage } from "./rewrite-message";

/** Replaces the text of one of your messages; everyone sees it marked "(edited)". */
export function editMessage(user: SessionUser, input: unknown): Promise<Message> {
  const { conversationId, seq, text } = editMessageInput.parse(input);
  // The time the edit is made, under the message's lock, and always past the one before: two edits made at
  // once (two devices) then come in the order they took effect, also to a client merging a history page.
  const editedAt = sql`greatest(clock_timestamp(), coalesce(${messages.editedAt}, ${messages.createdAt}) + interval '1 millisecond')`;
  return rewriteMessage(user, { conversationId, seq }, "editMessage", { text, editedAt });
}
