import { and, asc, eq, isNull } from "drizzle-orm";
import type { Conversation } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { toWireConversation } from "./to-wire";

/** The conversations in the caller's sidebar. */
export async function listMyConversations(user: Pick<SessionUser, "id">): Promise<Conversation[]> {
  const rows = await db()
    .select({ conversation: conversations, lastReadSeq: conversationMembers.lastReadSeq })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, user.id), isNull(conversations.archivedAt)))
    .orderBy(asc(conversations.name));
  return rows.map((r) => toWireConversation(r.conversation, r.lastReadSeq));
}

/** Only the ids: what a socket joins as rooms when it connects. */
export async function listMyConversationIds(userId: string): Promise<string[]> {
  const rows = await db()
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .where(eq(conversationMembers.userId, userId));
  return rows.map((r) => r.id);
}

/** Each of the user's conversations with its newest sequence number. */
export async function listMyConversationStates(userId: string): Promise<{ id: string; lastSeq: number }[]> {
  return db()
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(eq(conversationMembers.userId, userId));
}
