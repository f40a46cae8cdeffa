import { eq } from "drizzle-orm";
import { conversationIdSchema, updateConversationInput, type ConversationInfo } from "@/lib/protocol";
import { conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { accessConversation } from "@/server/policy/access-conversation";
import { readConversationInfo } from "./read-conversations";

/**
 * Renames a channel or keeps its @channel and @here for the creator and admins (its creator or an
 * admin), or sets its topic and description (any member).
 */
export async function updateConversation(
  user: SessionUser,
  input: { conversationId: unknown; body: unknown },
): Promise<ConversationInfo> {
  const id = conversationIdSchema.parse(input.conversationId);
  const changes = updateConversationInput.parse(input.body);
  try {
    return await changing(async (tx, record) => {
      if (changes.name !== undefined) await accessConversation(user, id, "rename", tx);
      if (changes.topic !== undefined || changes.description !== undefined) {
        await accessConversation(user, id, "editTopic", tx);
      }
      if (changes.mentionsRestricted !== undefined) await accessConversation(user, id, "restrictMentions", tx);
      await tx.update(conversations).set(changes).where(eq(conversations.id, id));
      const conversation = await readConversationInfo(tx, id);
      await record.conversation(id, { kind: "conversation", conversation });
      return conversation;
    });
  } catch (error) {
    if (isUniqueViolation(error, "conversations_channel_name_key")) {
      throw new AppError("conflict", `A channel named #${changes.name} already exists`);
    }
    throw error;
  }
}
