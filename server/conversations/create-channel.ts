import { createChannelInput, type Conversation } from "@/lib/protocol";
import { conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { addMembers } from "./membership";
import { readMemberConversation } from "./read-conversations";

/** Creates a public or private channel; its creator is its first member and owner. */
export async function createChannel(user: SessionUser, input: unknown): Promise<Conversation> {
  const data = createChannelInput.parse(input);
  try {
    return await changing(async (tx, record) => {
      const [row] = await tx
        .insert(conversations)
        .values({ kind: "channel", name: data.name, topic: data.topic, isPrivate: data.isPrivate, createdBy: user.id })
        .returning({ id: conversations.id });
      if (!row) throw new Error("Channel insert returned nothing");
      await addMembers(tx, record, row.id, [user], "owner");
      return (await readMemberConversation(tx, user.id, row.id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "conversations_channel_name_key")) {
      throw new AppError("conflict", `A channel named #${data.name} already exists`);
    }
    throw error;
  }
}
