import { eq } from "drizzle-orm";
import { openDirectInput, type Conversation } from "@/lib/protocol";
import { conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { AppError } from "@/server/errors";
import { activePeople } from "@/server/people/active-people";
import { addMembers } from "./membership";
import { readMemberConversation } from "./read-conversations";

/**
 * Finds or starts the conversation of the caller with the people named: a
 * direct message with one person (with yourself alone: a notepad), a group
 * with two to eight. The same people always find the same conversation: its
 * key, their sorted ids, is unique, so two of them starting it at the same
 * moment, on any servers, get one conversation.
 */
export async function openDirect(user: SessionUser, input: unknown): Promise<Conversation> {
  const { userIds } = openDirectInput.parse(input);
  const notepad = userIds.length === 1 && userIds[0] === user.id;
  if (!notepad && userIds.includes(user.id)) {
    throw new AppError("bad_request", "You are in every conversation you start: choose only the others");
  }
  const memberIds = notepad ? [user.id] : [user.id, ...userIds];
  const memberKey = [...memberIds].sort().join(",");
  return changing(async (tx, record) => {
    const people = await activePeople(tx, memberIds);
    const [created] = await tx
      .insert(conversations)
      .values({ kind: memberIds.length > 2 ? "group" : "dm", memberKey, createdBy: user.id })
      .onConflictDoNothing({ target: conversations.memberKey })
      .returning({ id: conversations.id });
    if (created) await addMembers(tx, record, created.id, people);
    const id =
      created?.id ??
      (await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.memberKey, memberKey)))[0]
        ?.id;
    if (!id) throw new Error("Direct conversation vanished");
    return (await readMemberConversation(tx, user.id, id))!;
  });
}
