import { and, eq } from "drizzle-orm";
import { conversations, messages } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import type { Tx } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { readAccess, type Access } from "@/server/policy/access-conversation";
import type { Action } from "@/lib/policy/rules";
import type { AlsoSentFrom } from "@/lib/protocol";

const REPLY_TO_REPLY = "Reply to the thread's first message: replies have no threads";
// A follow names its thread as a reply does, by the conversation and the message replied to.
const FOLLOW_BY_THREAD_ID =
  "conversationId is a thread's own id: follow a thread by the conversation it is in and the message replied to";

export type Thread = { id: string; parentId: string; rootSeq: number; lastSeq: number };
type MessageRow = typeof messages.$inferSelect;

/**
 * Checks that the caller may `action` in the conversation of a message and that the message can have
 * a thread (it is not itself a reply, and exists), and locks it: replies to one message, follows of its
 * thread and changes of the message itself then happen one at a time. The conversation's row is only
 * shared, since sends to it hold its lock. Answers the message and the conversation it is in.
 */
export async function lockRoot(
  tx: Tx,
  user: Pick<SessionUser, "id" | "role">,
  ref: { conversationId: string; rootSeq: number },
  action: Action,
): Promise<{ root: MessageRow; parent: Access["conversation"] }> {
  // A share of the conversation's row, taken before its members are read: changes of who is in it lock
  // the row to update it, so one of them and this transaction wait for each other, and a follow made
  // here is never missed by a leaving member's end of their follows. Sends do not wait for it.
  await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.id, ref.conversationId))
    .for("key share");
  const access = await readAccess(user, ref.conversationId, action, tx);
  if (access.thread) throw new AppError("bad_request", action === "post" ? REPLY_TO_REPLY : FOLLOW_BY_THREAD_ID);
  const [root] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, ref.conversationId), eq(messages.seq, ref.rootSeq)))
    .for("update");
  if (!root) throw new AppError("not_found", "This message does not exist");
  return { root, parent: access.conversation };
}

/**
 * The thread of a message, made by the first who needs it. Two first replies at once both insert; the
 * unique (parent_id, root_seq) keeps one row, and both read it.
 */
export async function openThread(tx: Tx, parentId: string, rootSeq: number): Promise<Thread> {
  await tx
    .insert(conversations)
    .values({ kind: "thread", parentId, rootSeq })
    .onConflictDoNothing({ target: [conversations.parentId, conversations.rootSeq] });
  const [thread] = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(and(eq(conversations.parentId, parentId), eq(conversations.rootSeq, rootSeq)));
  if (!thread) throw new Error(`The thread of message ${rootSeq} of ${parentId} was not stored`);
  return { id: thread.id, parentId, rootSeq, lastSeq: thread.lastSeq };
}

/** The thread of a message, if anyone has replied to or followed it. */
export async function findThread(tx: Tx, parentId: string, rootSeq: number): Promise<Thread | null> {
  const [thread] = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(and(eq(conversations.parentId, parentId), eq(conversations.rootSeq, rootSeq)));
  return thread ? { id: thread.id, parentId, rootSeq, lastSeq: thread.lastSeq } : null;
}

/**
 * A reply to a reply's copy in the conversation goes to that reply's own thread, as in Slack, and so does
 * following it: the copy is the reply shown there too, and a thread of its own would split one discussion
 * in two. Read before `lockRoot`, which checks access to the same conversation next; a copy never stops
 * being one.
 */
export async function toOwnThread<T extends { conversationId: string; rootSeq: number }>(tx: Tx, data: T): Promise<T> {
  const [message] = await tx
    .select({ alsoSentFrom: messages.alsoSentFrom })
    .from(messages)
    .where(and(eq(messages.conversationId, data.conversationId), eq(messages.seq, data.rootSeq)));
  const from = message?.alsoSentFrom as AlsoSentFrom | null | undefined;
  return from ? { ...data, rootSeq: from.rootSeq } : data;
}
