import { conversationIdSchema, type ConversationInfo } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { accessConversation } from "@/server/policy/access-conversation";
import { readConversationInfo } from "./read-conversations";

/** A conversation as anyone who may see it does: a public channel's preview, or one you are in. */
export async function getConversation(
  user: SessionUser,
  conversationId: unknown,
): Promise<{ conversation: ConversationInfo; isMember: boolean }> {
  const id = conversationIdSchema.parse(conversationId);
  const { membership } = await accessConversation(user, id, "view");
  return { conversation: await readConversationInfo(db(), id), isMember: membership !== null };
}
