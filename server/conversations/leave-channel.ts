import { and, eq } from "drizzle-orm";
import { conversationIdSchema } from "@/lib/protocol";
import { conversationMembers, workspace } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";
import { accessConversation } from "./access-conversation";

/** Leaves a channel. #general is where everyone can be reached, so nobody leaves it. */
export async function leaveChannel(user: SessionUser, conversationId: unknown): Promise<void> {
  const id = conversationIdSchema.parse(conversationId);
  const { conversation } = await accessConversation(user, id);
  if (conversation.kind !== "channel") throw new AppError("bad_request", "Only channels can be left");
  const [ws] = await db().select({ defaultChannelId: workspace.defaultChannelId }).from(workspace).limit(1);
  if (ws?.defaultChannelId === id) throw new AppError("forbidden", `Everyone stays in #${conversation.name}`);
  await db()
    .delete(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, id), eq(conversationMembers.userId, user.id)));
  publish("member.left", { userId: user.id, conversationId: id });
}
