import { and, eq, isNull, sql } from "drizzle-orm";
import { conversationMembers, conversations, messages } from "@/drizzle/schema";
import { decideEveryoneMention, type EveryoneTarget } from "@/lib/policy/rules";
import {
  replyInput,
  SUMMARY_REPLIERS,
  type AlsoSentFrom,
  type Message,
  type ReplyInput,
  type ThreadSummary,
} from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import type { Tx } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";
import { mayRead } from "@/server/policy/access-conversation";
import { asSent, messageOfRow } from "@/server/messages/message-rows";
import { rewriteMentions } from "@/server/messages/rewrite-mentions";
import { copyId } from "./copy-id";
import { followThread, type FollowChange } from "./follows";
import { lockRoot, openThread, toOwnThread, type Thread } from "./open-thread";

type Stored = { message: Message; parentId: string; copy: Message | null; created: boolean };

/**
 * Stores a reply to a message, numbered in the message's thread (made by the first reply), in one
 * transaction with everything it changes: the root's summary (on its row, and in the parent's feed),
 * its mentions, and the follows of the root's author (on the first reply), of the people it mentions, and
 * of the replier, who has read their own reply. Replies do not go
 * through the batched insert of top-level messages: they touch more than one row, and are rarer. A
 * resend with the same clientMessageId returns the reply already stored.
 */
export async function replyInThread(user: SessionUser, input: unknown): Promise<Message> {
  const data = replyInput.parse(input);
  const stored = await storeReply(user, data).catch((error: unknown) => {
    // The same clientMessageId stored meanwhile by another request: it is found now.
    if (!isUniqueViolation(error, "messages_sender_client_id_key")) throw error;
    return storeReply(user, data);
  });
  if (stored.created) {
    publish("message.created", { message: stored.message, except: user.socketId, parentId: stored.parentId });
    // The sender's socket has the reply in its ack, not the copy: it hears the copy with the room.
    if (stored.copy) publish("message.created", { message: stored.copy });
  }
  return stored.message;
}

async function storeReply(user: SessionUser, input: ReplyInput & { rootSeq: number }): Promise<Stored> {
  return changing(async (tx, record) => {
    const data = await toOwnThread(tx, input);
    // First, as for a message: a resend is answered with the reply stored, even once the message replied
    // to is deleted or its sender has left; two resends at once meet on the unique index (above).
    const already = await storedBefore(tx, user, data);
    if (already) return { ...already, copy: null, created: false };
    const { root, parent } = await lockRoot(tx, user, data, "post");
    if (root.deletedAt) throw new AppError("not_found", "This message was deleted");
    const thread = await openThread(tx, root.conversationId, root.seq);

    const [next] = await tx
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
      .where(eq(conversations.id, thread.id))
      .returning({ seq: conversations.lastSeq });
    const seq = next!.seq;
    const [row] = await tx
      .insert(messages)
      .values({
        conversationId: thread.id,
        seq,
        senderId: user.id,
        clientMessageId: data.clientMessageId,
        text: data.text,
      })
      .returning();
    const message = await messageOfRow(tx, row!);
    const mentioned = await rewriteMentions(tx, row!, thread.parentId);

    const summary: ThreadSummary = {
      threadId: thread.id,
      replyCount: seq,
      lastReplyAt: message.createdAt,
      replierIds: [user.id, ...repliersOf(root.thread).filter((id) => id !== user.id)].slice(0, SUMMARY_REPLIERS),
    };
    await tx.update(messages).set({ thread: summary }).where(eq(messages.id, root.id));
    await record.conversation(thread.parentId, {
      kind: "thread",
      conversationId: thread.parentId,
      seq: root.seq,
      thread: summary,
    });
    const follows = [
      ...(await followThread(tx, thread, [user.id], seq)),
      ...(await readOwnReply(tx, thread, user.id, seq)),
      // The root's author follows from the first reply on; one who stops following is not made to again.
      ...(seq === 1 ? await followThread(tx, thread, [root.senderId], 0) : []),
      // People it mentions (members of the parent) follow it too, with the thread unread.
      ...(await followThread(tx, thread, mentioned.ids, 0)),
    ];
    await record.users(follows);
    const copy = data.alsoToChannel ? await postCopy(tx, user, thread, seq, parent, data) : null;
    if (copy) await record.users(await readOwnCopy(tx, copy, user.id));
    return { message, parentId: thread.parentId, copy, created: true };
  });
}

/** A resend of a reply: the one stored, or a conflict when the clientMessageId went to something else. */
async function storedBefore(
  tx: Tx,
  user: SessionUser,
  data: { clientMessageId: string; conversationId: string; rootSeq: number },
): Promise<{ message: Message; parentId: string } | null> {
  const [row] = await tx
    .select({ message: messages, parentId: conversations.parentId, rootSeq: conversations.rootSeq })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.senderId, user.id), eq(messages.clientMessageId, data.clientMessageId)));
  if (!row) return null;
  if (row.parentId !== data.conversationId || row.rootSeq !== data.rootSeq) {
    throw new AppError("conflict", "This clientMessageId was already used for another message");
  }
  const message = await messageOfRow(tx, row.message);
  return { message: (await mayRead(user, row.parentId, tx)) ? message : asSent(message), parentId: row.parentId };
}

/** A replier who followed already has read up to their reply: everything before it they answered. */
async function readOwnReply(tx: Tx, thread: Thread, userId: string, seq: number): Promise<FollowChange[]> {
  const moved = await tx
    .update(conversationMembers)
    .set({ lastReadSeq: seq })
    .where(
      and(
        eq(conversationMembers.conversationId, thread.id),
        eq(conversationMembers.userId, userId),
        sql`${conversationMembers.lastReadSeq} < ${seq}`,
      ),
    )
    .returning({ userId: conversationMembers.userId });
  return moved.map(() => ({ userId, data: { kind: "read", conversationId: thread.id, lastReadSeq: seq } }));
}

/**
 * One's own copy is no news: a sender who had read the conversation to its end has read it to the copy
 * too, on every device (as a sender's device marks its own message read). One with unread messages
 * before it keeps them.
 */
async function readOwnCopy(tx: Tx, copy: Message, userId: string): Promise<FollowChange[]> {
  const { conversationId, seq } = copy;
  const moved = await tx
    .update(conversationMembers)
    .set({ lastReadSeq: seq })
    .where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
        eq(conversationMembers.lastReadSeq, seq - 1),
      ),
    )
    .returning({ userId: conversationMembers.userId });
  return moved.map(() => ({ userId, data: { kind: "read", conversationId, lastReadSeq: seq } }));
}

/**
 * "Also send to the channel": the reply's copy in the conversation, numbered there in this transaction
 * (its row lock, which sends take too, is taken last and held to the commit), and marked with its
 * thread. Its clientMessageId is derived from the reply's, so that it is unique and the same on a resend.
 * The copy is a message of the conversation: it mentions people there as any message does, and @channel
 * or @here in it is refused, with the reply, where the conversation keeps them for its creator and admins.
 */
async function postCopy(
  tx: Tx,
  user: SessionUser,
  thread: Thread,
  replySeq: number,
  parent: EveryoneTarget,
  data: ReplyInput,
): Promise<Message> {
  const [next] = await tx
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
    .where(and(eq(conversations.id, thread.parentId), isNull(conversations.archivedAt)))
    .returning({ seq: conversations.lastSeq });
  if (!next) throw new AppError("forbidden", "This conversation is archived: it is read-only");
  const [row] = await tx
    .insert(messages)
    .values({
      conversationId: thread.parentId,
      seq: next.seq,
      senderId: user.id,
      clientMessageId: copyId(data.clientMessageId),
      text: data.text,
      alsoSentFrom: { threadId: thread.id, rootSeq: thread.rootSeq, seq: replySeq } satisfies AlsoSentFrom,
    })
    .returning();
  const { everyone } = await rewriteMentions(tx, row!);
  const allowed = decideEveryoneMention(user, parent);
  if (everyone && !allowed.allowed) throw new AppError(allowed.code, allowed.message);
  return messageOfRow(tx, row!);
}

function repliersOf(summary: unknown): string[] {
  return summary === null ? [] : (summary as ThreadSummary).replierIds;
}
