import { conversationIdSchema, personIdSchema } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { AppError } from "@/server/errors";
import { accessConversation } from "@/server/policy/access-conversation";
import { removeMember } from "./membership";

/** Takes someone out of a channel: its creator or an admin may. A channel keeps its last member. */
export async function removeConversationMember(
  user: SessionUser,
  input: { conversationId: unknown; userId: unknown },
): Promise<void> {
  const id = conversationIdSchema.parse(input.conversationId);
  const userId = personIdSchema.parse(input.userId);
  await changing(async (tx, record) => {
    const { conversation } = await accessConversation(user, id, "removeMembers", tx);
    if (conversation.memberCount <= 1) {
      const instead = conversation.archivedAt ? "" : ": archive it instead";
      throw new AppError("conflict", `#${conversation.name} keeps its last member${instead}`);
    }
    if (!(await removeMember(tx, record, id, userId))) {
      throw new AppError("not_found", `This person is not in #${conversation.name}`);
    }
  });
}
