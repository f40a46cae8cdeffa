import { conversationIdSchema, type ConversationInfo } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { accessConversation } from "@/server/policy/access-conversation";
import { readConversationInfo } from "./read-conversations";

/** A conversation as anyone who may see it does: a public channel's preview, or one you are in. */
export async function getConversation(
  user: SessionUser,
  conversationId: unknown,
): Promise<{ conversation: ConversationInfo; isMember: boolean }> {
  const id = conversationIdSchema.parse(conversationId);
  const { membership, thread } = await accessConversation(user, id, "view");
  if (thread) throw new AppError("bad_request", "This is a thread: its message's conversation has the details");
  return { conversation: await readConversationInfo(db(), id), isMember: membership !== null };
}
