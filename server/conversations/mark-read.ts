import { and, eq, lt, sql } from "drizzle-orm";
import { markReadInput } from "@/lib/protocol";
import { conversationMembers, conversations } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import { accessConversation } from "@/server/policy/access-conversation";

/**
 * Moves the caller's read position forward, to at most the newest message,
 * never back; every device of theirs hears of it through their change stream.
 * Answers with where the position stands.
 */
export async function markRead(user: SessionUser, input: unknown): Promise<{ lastReadSeq: number }> {
  const { conversationId, seq } = markReadInput.parse(input);
  await accessConversation(user, conversationId, "markRead");
  return changing(async (tx, record) => {
    const target = sql`least(${seq}, (select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId}))`;
    const [moved] = await tx
      .update(conversationMembers)
      .set({ lastReadSeq: target })
      .where(
        and(
          eq(conversationMembers.conversationId, conversationId),
          eq(conversationMembers.userId, user.id),
          lt(conversationMembers.lastReadSeq, target),
        ),
      )
      .returning({ lastReadSeq: conversationMembers.lastReadSeq });
    if (moved) {
      await record.user(user.id, { kind: "read", conversationId, lastReadSeq: moved.lastReadSeq });
      return moved;
    }
    const [current] = await tx
      .select({ lastReadSeq: conversationMembers.lastReadSeq })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, user.id)));
    return { lastReadSeq: current?.lastReadSeq ?? 0 };
  });
}
