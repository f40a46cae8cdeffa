import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { listChannelsInput, type ChannelListing } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";

/**
 * The channel directory, with member counts and whether the caller is in
 * each: the public channels, or the archived channels the caller is in.
 */
export async function listChannels(user: SessionUser, input: unknown): Promise<ChannelListing[]> {
  const { archived } = listChannelsInput.parse(input);
  const isMember = sql<boolean>`exists (select 1 from ${conversationMembers} where ${conversationMembers.conversationId} = ${conversations.id} and ${conversationMembers.userId} = ${user.id})`;
  const rows = await db()
    .select({
      id: conversations.id,
      name: conversations.name,
      topic: conversations.topic,
      isPrivate: conversations.isPrivate,
      archived: sql<boolean>`${conversations.archivedAt} is not null`,
      memberCount: conversations.memberCount,
      isMember,
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.kind, "channel"),
        archived
          ? and(isNotNull(conversations.archivedAt), isMember)
          : and(eq(conversations.isPrivate, false), isNull(conversations.archivedAt)),
      ),
    )
    .orderBy(asc(conversations.name));
  return rows.map((r) => ({ ...r, name: r.name ?? "" }));
}
