import { eq } from "drizzle-orm";
import { conversationIdSchema, type Conversation } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";
import { toWireConversation } from "./to-wire";

/** Joins a public channel. Joining one you are already in is a no-op that succeeds. */
export async function joinChannel(user: SessionUser, conversationId: unknown): Promise<Conversation> {
  const id = conversationIdSchema.parse(conversationId);
  const [row] = await db().select().from(conversations).where(eq(conversations.id, id)).limit(1);
  if (!row || row.isPrivate || row.kind !== "channel") {
    throw new AppError("not_found", "This channel does not exist");
  }
  if (row.archivedAt) throw new AppError("forbidden", `#${row.name} is archived`);
  const inserted = await db()
    .insert(conversationMembers)
    .values({ conversationId: id, userId: user.id })
    .onConflictDoNothing()
    .returning({ lastReadSeq: conversationMembers.lastReadSeq });
  const conversation = toWireConversation(row, inserted[0]?.lastReadSeq ?? 0);
  if (inserted.length > 0) publish("member.joined", { userId: user.id, conversation });
  return conversation;
}
