import { sql } from "drizzle-orm";
import { editMessageInput, type Message } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { rewriteMessage } from "./rewrite-message";

/** Replaces the text of one of your messages; everyone sees it marked "(edited)". */
export function editMessage(user: SessionUser, input: unknown): Promise<Message> {
  const { conversationId, seq, text } = editMessageInput.parse(input);
  return rewriteMessage(user, { conversationId, seq }, "editMessage", { text, editedAt: sql`now()` });
}
