import { and, eq, sql } from "drizzle-orm";
import { messages, workspace } from "@/drizzle/schema";
import { decideMessage, type MessageAction } from "@/lib/policy/rules";
import type { SessionUser } from "@/server/auth/sessions";
import type { Tx } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { readAccess, targetOf, type Access } from "./access-conversation";

type MessageRow = typeof messages.$inferSelect;

export type MessageRef = { conversationId: string; seq: number };

/**
 * Loads a message for someone who wants to edit or delete it, inside the
 * transaction that will change it, and throws the error the rules give when
 * they may not (`decideMessage` in lib/policy/rules.ts). The message row stays
 * locked until the transaction ends, so two changes of one message happen one
 * after the other; the conversation row is not locked, since sends hold its lock.
 */
export async function accessMessage(
  user: Pick<SessionUser, "id" | "role">,
  ref: MessageRef,
  action: MessageAction,
  tx: Tx,
): Promise<{ access: Access; message: MessageRow }> {
  const access = await readAccess(user, ref.conversationId, "view", tx);
  // The workspace's edit window comes with the message, in the one statement.
  const [row] = await tx
    .select({
      message: messages,
      editWindowSeconds: sql<number | null>`(select ${workspace.messageEditWindowSeconds} from ${workspace} limit 1)`,
    })
    .from(messages)
    .where(and(eq(messages.conversationId, ref.conversationId), eq(messages.seq, ref.seq)))
    .for("update");
  if (!row) throw new AppError("not_found", "This message does not exist");
  const { message, editWindowSeconds } = row;
  const decision = decideMessage(
    user,
    action,
    targetOf(access),
    { senderId: message.senderId, deleted: message.deletedAt !== null, createdAtMs: message.createdAt.getTime() },
    { nowMs: Date.now(), editWindowSeconds },
  );
  if (!decision.allowed) throw new AppError(decision.code, decision.message);
  return { access, message };
}
