import { conversationIdSchema } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { AppError } from "@/server/errors";
import { accessConversation } from "@/server/policy/access-conversation";
import { removeMember } from "./membership";

/** Leaves a channel. A private channel keeps its last member: nobody could reach it again. */
export async function leaveConversation(user: SessionUser, conversationId: unknown): Promise<void> {
  const id = conversationIdSchema.parse(conversationId);
  await changing(async (tx, record) => {
    const { conversation } = await accessConversation(user, id, "leave", tx);
    if (conversation.isPrivate && conversation.memberCount <= 1) {
      const instead = conversation.archivedAt ? "" : ": archive it instead";
      throw new AppError("conflict", `You are the last member of #${conversation.name}${instead}`);
    }
    await removeMember(tx, record, id, user.id);
  });
}
