import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { ChannelListing } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";

/** The directory of public channels, with member counts and whether the caller is in each. */
export async function listChannels(user: SessionUser): Promise<ChannelListing[]> {
  const rows = await db()
    .select({
      id: conversations.id,
      name: conversations.name,
      topic: conversations.topic,
      memberCount: conversations.memberCount,
      isMember: sql<boolean>`exists (select 1 from ${conversationMembers} where ${conversationMembers.conversationId} = ${conversations.id} and ${conversationMembers.userId} = ${user.id})`,
    })
    .from(conversations)
    .where(and(eq(conversations.kind, "channel"), eq(conversations.isPrivate, false), isNull(conversations.archivedAt)))
    .orderBy(asc(conversations.name));
  return rows.map((r) => ({ ...r, name: r.name ?? "" }));
}
