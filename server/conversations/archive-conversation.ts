import { eq, sql } from "drizzle-orm";
import { conversationIdSchema, type ConversationInfo } from "@/lib/protocol";
import { conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessConversation } from "@/server/policy/access-conversation";
import { readConversationInfo } from "./read-conversations";

/**
 * Archives a channel (`archived`: true) or brings it back. An archived channel
 * is read-only and the sidebar hides it; its members can still read it and open
 * links to it.
 */
export async function setArchived(
  user: SessionUser,
  input: { conversationId: unknown; archived: boolean },
): Promise<ConversationInfo> {
  const id = conversationIdSchema.parse(input.conversationId);
  return changing(async (tx, record) => {
    const { conversation } = await accessConversation(user, id, input.archived ? "archive" : "unarchive", tx);
    if ((conversation.archivedAt !== null) === input.archived) return readConversationInfo(tx, id);
    await tx
      .update(conversations)
      .set({ archivedAt: input.archived ? sql`now()` : null })
      .where(eq(conversations.id, id));
    const info = await readConversationInfo(tx, id);
    await record.conversation(id, { kind: "conversation", conversation: info });
    return info;
  });
}
