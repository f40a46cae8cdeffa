import { and, eq, inArray, sql } from "drizzle-orm";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { ChangeData } from "@/lib/protocol";
import type { Tx } from "@/server/db/client";
import type { Thread } from "./open-thread";

/** A follow to record in its person's stream (`record.users`), once every row is written. */
export type FollowChange = { userId: string; data: ChangeData };

/**
 * Makes people follow a thread (a row of its `conversation_members`), those of them who are in its
 * parent: the root's author and repliers now, the people a reply mentions once mentions are stored.
 * A new follower has read up to `readUpTo`; one who follows already keeps their position. Returns the
 * changes to record for the new followers.
 */
export async function followThread(
  tx: Tx,
  thread: Thread,
  userIds: readonly string[],
  readUpTo: number,
): Promise<FollowChange[]> {
  if (userIds.length === 0) return [];
  const inserted = await tx
    .insert(conversationMembers)
    .select(
      tx
        .select({
          conversationId: sql<string>`${thread.id}::uuid`.as("conversation_id"),
          userId: conversationMembers.userId,
          role: sql<"member">`'member'::member_role`.as("role"),
          lastReadSeq: sql<number>`${readUpTo}::bigint`.as("last_read_seq"),
          joinedAt: sql<Date>`now()`.as("joined_at"),
        })
        .from(conversationMembers)
        .where(
          and(
            eq(conversationMembers.conversationId, thread.parentId),
            inArray(conversationMembers.userId, [...userIds]),
          ),
        ),
    )
    .onConflictDoNothing()
    .returning({ userId: conversationMembers.userId });
  return inserted.map(({ userId }) => followChange(userId, thread, true));
}

/** Stops following a thread; no change when the person did not follow it. */
export async function unfollowThread(tx: Tx, thread: Thread, userId: string): Promise<FollowChange[]> {
  const deleted = await tx
    .delete(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, thread.id), eq(conversationMembers.userId, userId)))
    .returning({ userId: conversationMembers.userId });
  return deleted.map(() => followChange(userId, thread, false));
}

/** Someone left a conversation or was removed: they stop following its threads, in the same transaction. */
export async function unfollowThreadsOf(tx: Tx, parentId: string, userId: string): Promise<FollowChange[]> {
  const threads = tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.parentId, parentId));
  const deleted = await tx
    .delete(conversationMembers)
    .where(and(eq(conversationMembers.userId, userId), inArray(conversationMembers.conversationId, threads)))
    .returning({ threadId: conversationMembers.conversationId });
  if (deleted.length === 0) return [];
  const roots = await tx
    .select({ id: conversations.id, rootSeq: conversations.rootSeq, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(
      inArray(
        conversations.id,
        deleted.map((d) => d.threadId),
      ),
    );
  return roots.map((t) =>
    followChange(userId, { id: t.id, parentId, rootSeq: t.rootSeq ?? 0, lastSeq: t.lastSeq }, false),
  );
}

function followChange(userId: string, thread: Thread, following: boolean): FollowChange {
  return {
    userId,
    data: {
      kind: "following",
      conversationId: thread.id,
      parentId: thread.parentId,
      rootSeq: thread.rootSeq,
      following,
    },
  };
}
