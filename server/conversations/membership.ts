import { and, eq, sql } from "drizzle-orm";
import type { Person } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { Recorder } from "@/server/changes/changing";
import type { Tx } from "@/server/db/client";
import { unfollowThreadsOf } from "@/server/threads/follows";
import { readConversationInfo, readMemberConversation } from "./read-conversations";

/**
 * Every change of who is in a conversation goes through these two functions,
 * inside a `changing` transaction: they keep the member count, and record the
 * conversation's new state for its members, the member for the member list,
 * and the membership for the person's own devices, whose sockets join or leave
 * the conversation's room when that change reaches them.
 */
export async function addMembers(
  tx: Tx,
  record: Recorder,
  conversationId: string,
  given: Person[],
  role: "owner" | "member" = "member",
): Promise<Person[]> {
  // Callers pass users and session users too: the feed, which every member reads, gets only the name.
  const people = given.map(({ id, name }) => ({ id, name }));
  if (people.length === 0) return [];
  // Someone new starts with everything already said read, as in Slack: the history is there to scroll back to.
  const readUpTo = sql`(select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId})`;
  const inserted = await tx
    .insert(conversationMembers)
    .values(people.map((p) => ({ conversationId, userId: p.id, role, lastReadSeq: readUpTo })))
    .onConflictDoNothing()
    .returning({ userId: conversationMembers.userId });
  const added = people.filter((p) => inserted.some((row) => row.userId === p.id));
  if (added.length === 0) return [];
  await countMembers(tx, conversationId, added.length);
  await record.conversation(conversationId, {
    kind: "conversation",
    conversation: await readConversationInfo(tx, conversationId),
  });
  for (const person of added) {
    await record.conversation(conversationId, { kind: "member", conversationId, userId: person.id, member: person });
  }
  // In id order: each person's stream stays locked until commit, and two conversations started at once with
  // some of the same people, each locking them in its own order, deadlocked (the matrix, 2026-12-07).
  for (const person of [...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const conversation = await readMemberConversation(tx, person.id, conversationId);
    await record.user(person.id, { kind: "membership", conversationId, conversation });
  }
  return added;
}

/** Takes someone out of a conversation; false when they were not in it. */
export async function removeMember(tx: Tx, record: Recorder, conversationId: string, userId: string): Promise<boolean> {
  const deleted = await tx
    .delete(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)))
    .returning({ userId: conversationMembers.userId });
  if (deleted.length === 0) return false;
  await countMembers(tx, conversationId, -1);
  await record.conversation(conversationId, {
    kind: "conversation",
    conversation: await readConversationInfo(tx, conversationId),
  });
  await record.conversation(conversationId, { kind: "member", conversationId, userId, member: null });
  await record.user(userId, { kind: "membership", conversationId, conversation: null });
  await record.users(await unfollowThreadsOf(tx, conversationId, userId));
  return true;
}

async function countMembers(tx: Tx, conversationId: string, by: number): Promise<void> {
  await tx
    .update(conversations)
    .set({ memberCount: sql`${conversations.memberCount} + ${by}` })
    .where(eq(conversations.id, conversationId));
}
