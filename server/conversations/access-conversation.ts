import { and, eq } from "drizzle-orm";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";

export type ConversationRow = typeof conversations.$inferSelect;
type MemberRow = typeof conversationMembers.$inferSelect;

/**
 * Decides what a user may do with a conversation, and which error they get
 * when they may not: it throws unless the user is a member. Private
 * conversations the user is not in look exactly like unknown ones, so their
 * existence does not leak. The hot paths (history pages, sends) check
 * membership inside their own statement and call this only to explain an
 * empty answer.
 */
export async function accessConversation(
  user: Pick<SessionUser, "id">,
  conversationId: string,
): Promise<{ conversation: ConversationRow; membership: MemberRow }> {
  const [row] = await db()
    .select({ conversation: conversations, membership: conversationMembers })
    .from(conversations)
    .leftJoin(
      conversationMembers,
      and(eq(conversationMembers.conversationId, conversations.id), eq(conversationMembers.userId, user.id)),
    )
    .where(eq(conversations.id, conversationId))
    .limit(1);
  if (!row || (row.conversation.isPrivate && !row.membership)) {
    throw new AppError("not_found", "This conversation does not exist");
  }
  if (!row.membership) {
    throw new AppError("forbidden", `Join #${row.conversation.name} to read and post in it`);
  }
  return { conversation: row.conversation, membership: row.membership };
}
