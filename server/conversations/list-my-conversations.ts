import { and, asc, eq, isNull } from "drizzle-orm";
import type { Conversation } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { batched, groupRows } from "@/server/db/batched";
import { database, db } from "@/server/db/client";
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

type MembershipRow = { user_id: string; id: string; last_seq: string };

// Asked by every connecting socket once it has joined its rooms.
const MEMBERSHIPS = `
  select cm.user_id::text as user_id, c.id::text as id, c.last_seq::text as last_seq
  from conversation_members cm join conversations c on c.id = cm.conversation_id
  where cm.user_id = any($1::uuid[])`;

const loadMemberships = batched(async (userIds: readonly string[]) =>
  groupRows(userIds, await database().query<MembershipRow>(MEMBERSHIPS, [userIds]), (r) => r.user_id),
);

/** Each of the user's conversations with its newest sequence number. */
export async function listMyConversationStates(userId: string): Promise<{ id: string; lastSeq: number }[]> {
  return (await loadMemberships(userId)).map((r) => ({ id: r.id, lastSeq: Number(r.last_seq) }));
}
