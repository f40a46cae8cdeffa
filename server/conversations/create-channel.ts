import { createChannelInput, type Conversation } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";
import { toWireConversation } from "./to-wire";

/** Creates a public channel; its creator is its first member and owner. */
export async function createChannel(user: SessionUser, input: unknown): Promise<Conversation> {
  const data = createChannelInput.parse(input);
  let conversation: Conversation;
  try {
    conversation = await db().transaction(async (tx) => {
      const [row] = await tx
        .insert(conversations)
        .values({ kind: "channel", name: data.name, topic: data.topic, createdBy: user.id })
        .returning();
      if (!row) throw new Error("Channel insert returned nothing");
      await tx.insert(conversationMembers).values({ conversationId: row.id, userId: user.id, role: "owner" });
      return toWireConversation(row, 0);
    });
  } catch (error) {
    if (isUniqueViolation(error, "conversations_channel_name_key")) {
      throw new AppError("conflict", `A channel named #${data.name} already exists`);
    }
    throw error;
  }
  publish("member.joined", { userId: user.id, conversation });
  return conversation;
}
