import { asc, eq } from "drizzle-orm";
import { conversationIdSchema, type Person } from "@/lib/protocol";
import { conversationMembers, users } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { accessConversation } from "@/server/policy/access-conversation";

/** Most members one answer lists; the count says how many there are in all. */
const MEMBER_LIST_LIMIT = 1_000;

/** The people in a conversation, by name, for its members. */
export async function listMembers(user: SessionUser, conversationId: unknown): Promise<Person[]> {
  const id = conversationIdSchema.parse(conversationId);
  await accessConversation(user, id, "listMembers");
  return db()
    .select({ id: users.id, name: users.name })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .where(eq(conversationMembers.conversationId, id))
    .orderBy(asc(users.name), asc(users.id))
    .limit(MEMBER_LIST_LIMIT);
}
