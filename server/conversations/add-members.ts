import { addMembersInput, conversationIdSchema, type Person } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessConversation } from "@/server/policy/access-conversation";
import { activePeople } from "@/server/people/active-people";
import { addMembers } from "./membership";

/** Adds people to a channel; those already in it are skipped. Answers with who was added. */
export async function addConversationMembers(
  user: SessionUser,
  input: { conversationId: unknown; body: unknown },
): Promise<Person[]> {
  const id = conversationIdSchema.parse(input.conversationId);
  const { userIds } = addMembersInput.parse(input.body);
  return changing(async (tx, record) => {
    await accessConversation(user, id, "addMembers", tx);
    return addMembers(tx, record, id, await activePeople(tx, userIds));
  });
}
