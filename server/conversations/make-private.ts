import { eq } from "drizzle-orm";
import { conversationIdSchema, type ConversationInfo } from "@/lib/protocol";
import { conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessConversation } from "@/server/policy/access-conversation";
import { readConversationInfo } from "./read-conversations";

/**
 * Makes a public channel private (admins only). There is no way back: people
 * wrote in it believing only its members would read them.
 */
export async function makePrivate(user: SessionUser, conversationId: unknown): Promise<ConversationInfo> {
  const id = conversationIdSchema.parse(conversationId);
  return changing(async (tx, record) => {
    const { conversation } = await accessConversation(user, id, "makePrivate", tx);
    if (conversation.isPrivate) return readConversationInfo(tx, id);
    await tx.update(conversations).set({ isPrivate: true }).where(eq(conversations.id, id));
    const info = await readConversationInfo(tx, id);
    await record.conversation(id, { kind: "conversation", conversation: info });
    return info;
  });
}
