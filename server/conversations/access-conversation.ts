import { and, eq } from "drizzle-orm";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db, type Executor } from "@/server/db/client";
import { AppError } from "@/server/errors";

export type ConversationRow = typeof conversations.$inferSelect;
export type MemberRow = typeof conversationMembers.$inferSelect;

/**
 * The only way to load a conversation for a user who wants to read or write in
 * it: it throws unless the user is a member. Private conversations the user is
 * not in look exactly like unknown ones, so their existence does not leak.
 */
export async function accessConversation(
  user: Pick<SessionUser, "id">,
  conversationId: string,
  exec: Executor = db(),
): Promise<{ conversation: ConversationRow; membership: MemberRow }> {
  const [row] = await exec
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
