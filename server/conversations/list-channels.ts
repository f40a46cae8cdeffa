import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { ChannelListing } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";

/** The public channel directory, with member counts and whether the caller is in each. */
export async function listChannels(user: SessionUser): Promise<ChannelListing[]> {
  const rows = await db()
    .select({
      id: conversations.id,
      name: conversations.name,
      topic: conversations.topic,
      memberCount: sql<number>`count(${conversationMembers.userId})::int`,
      isMember: sql<boolean>`coalesce(bool_or(${conversationMembers.userId} = ${user.id}), false)`,
    })
    .from(conversations)
    .leftJoin(conversationMembers, eq(conversationMembers.conversationId, conversations.id))
    .where(and(eq(conversations.kind, "channel"), eq(conversations.isPrivate, false), isNull(conversations.archivedAt)))
    .groupBy(conversations.id)
    .orderBy(asc(conversations.name));
  return rows.map((r) => ({ ...r, name: r.name ?? "" }));
}
