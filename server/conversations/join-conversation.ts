import { conversationIdSchema, type Conversation } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessConversation } from "@/server/policy/access-conversation";
import { addMembers } from "./membership";
import { readMemberConversation } from "./read-conversations";

/** Joins a public channel. Joining one you are already in is a no-op that succeeds. */
export async function joinConversation(user: SessionUser, conversationId: unknown): Promise<Conversation> {
  const id = conversationIdSchema.parse(conversationId);
  return changing(async (tx, record) => {
    const { membership } = await accessConversation(user, id, "join", tx);
    if (!membership) await addMembers(tx, record, id, [user]);
    return (await readMemberConversation(tx, user.id, id))!;
  });
}
