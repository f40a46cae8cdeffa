import { and, eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { linkPreviews, messages, reactions } from "@/drizzle/schema";
import { decideEveryoneMention, type MessageAction } from "@/lib/policy/rules";
import type { AlsoSentFrom, Message } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { changing, type Recorder } from "@/server/changes/changing";
import type { Tx } from "@/server/db/client";
import type { Access } from "@/server/policy/access-conversation";
import { accessMessage, type MessageRef } from "@/server/policy/access-message";
import { copyId } from "@/server/threads/copy-id";
import { firstWebLink } from "@/lib/markdown/links";
import { AppError } from "@/server/errors";
import { messageOfRow } from "./message-rows";
import { rewriteMentions } from "./rewrite-mentions";

type NewState = Pick<
  PgUpdateSetSource<typeof messages>,
  "text" | "editedAt" | "deletedAt" | "reactions" | "linkPreview" | "linkPreviewRemoved"
>;

/**
 * Changes a stored message (edit, delete) once the rules allow it, and records
 * its new state in the conversation's change feed, so that every member's
 * devices, live or catching up later, show it as it is now.
 *
 * A reply also sent to the conversation and its copy there are one message
 * shown in two places, as in Slack: a change of either is made to both, in one
 * transaction, so that a reply deleted for what it said is gone from the
 * conversation too. The reply is locked first whichever is named, so that two
 * changes naming one each cannot deadlock. Answers the message named.
 */
export function rewriteMessage(
  user: Pick<SessionUser, "id" | "role" | "name">,
  ref: MessageRef,
  action: MessageAction,
  state: NewState,
): Promise<Message> {
  return changing(async (tx, record) => {
    const reply = await replyOfCopy(tx, ref);
    const { message: first, access } = await accessMessage(user, reply ?? ref, action, tx);
    const copy = reply
      ? await lockMessage(tx, ref)
      : access.thread
        ? await lockCopyOf(tx, first, access.conversation.id)
        : null;
    const change = { tx, record, user, action, state, conversation: access.conversation };
    const firstNow = await rewriteOne(change, first, access.thread ? access.conversation.id : null);
    const copyNow = copy && (await rewriteOne(change, copy, null));
    return reply && copyNow ? copyNow : firstNow;
  });
}

type Rewrite = {
  tx: Tx;
  record: Recorder;
  user: Pick<SessionUser, "id" | "role" | "name">;
  action: MessageAction;
  state: NewState;
  /** The conversation the message is in, or a reply's parent: where @channel and @here are decided. */
  conversation: Access["conversation"];
};

type MessageRow = typeof messages.$inferSelect;

/** Rewrites one locked message row; `parentId` is its thread's parent when it is a reply. */
async function rewriteOne(
  { tx, record, user, action, state, conversation }: Rewrite,
  before: MessageRow,
  parentId: string | null,
): Promise<Message> {
  // Deleted already (from another device, say): the tombstone is the answer, and nothing changed.
  if (before.deletedAt) return messageOfRow(tx, before);
  const { conversationId, seq } = before;
  // A deleted message keeps no reactions: its tombstone shows none.
  if (action === "deleteMessage") await tx.delete(reactions).where(eq(reactions.messageId, before.id));
  // An edit that changes the first link drops the old link's preview; the new one's is fetched after.
  const oldLink = firstWebLink(before.text);
  const linkChanged = typeof state.text === "string" && firstWebLink(state.text) !== oldLink;
  const set = linkChanged ? { ...state, linkPreview: null } : state;
  // The cached preview goes with it, so that a link deleted for what it gave away is not kept; a later
  // post of it is fetched again.
  if (linkChanged && oldLink) await tx.delete(linkPreviews).where(eq(linkPreviews.link, oldLink));
  const [row] = await tx
    .update(messages)
    .set(set)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
    .returning();
  if (!row) throw new Error("The locked message was not updated");
  if (typeof state.text === "string") {
    const { everyone } = await rewriteMentions(tx, row, parentId);
    const allowed = decideEveryoneMention(user, conversation);
    if (everyone && !allowed.allowed) throw new AppError(allowed.code, allowed.message);
  }
  const message = await messageOfRow(tx, row, row.senderId === user.id ? user.name : undefined);
  // Who reacted goes from the feed too, not only from the message: a later catch-up finds none.
  if (action === "deleteMessage" && (before.reactions as unknown[]).length > 0) {
    await record.conversation(conversationId, { kind: "reactions", conversationId, seq, reactions: [] });
  }
  await record.conversation(conversationId, { kind: "message", message });
  return message;
}

/** The reply a copy in the conversation was sent from; null for any other message, or an old copy that does not say. */
async function replyOfCopy(tx: Tx, ref: MessageRef): Promise<MessageRef | null> {
  const [row] = await tx
    .select({ alsoSentFrom: messages.alsoSentFrom })
    .from(messages)
    .where(and(eq(messages.conversationId, ref.conversationId), eq(messages.seq, ref.seq)));
  const from = row?.alsoSentFrom as AlsoSentFrom | null | undefined;
  return from?.seq ? { conversationId: from.threadId, seq: from.seq } : null;
}

/**
 * The copy of a reply in its thread's conversation, if it was also sent there, locked. Found by the
 * (sender, clientMessageId) index, and taken only if it says it is this reply's copy: anyone can work
 * out a copy's clientMessageId, and a message sent elsewhere under it must not change with the reply.
 */
async function lockCopyOf(tx: Tx, reply: MessageRow, conversationId: string): Promise<MessageRow | null> {
  const [copy] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.senderId, reply.senderId),
        eq(messages.clientMessageId, copyId(reply.clientMessageId)),
        eq(messages.conversationId, conversationId),
        sql`${messages.alsoSentFrom}->>'threadId' = ${reply.conversationId}`,
      ),
    )
    .for("update");
  return copy ?? null;
}

async function lockMessage(tx: Tx, ref: MessageRef): Promise<MessageRow | null> {
  const [row] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, ref.conversationId), eq(messages.seq, ref.seq)))
    .for("update");
  return row ?? null;
}
