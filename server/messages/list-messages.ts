import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import { conversationIdSchema, historyQuery, type MessagePage } from "@/lib/protocol";
import { messages, users } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation } from "@/server/conversations/access-conversation";
import { db } from "@/server/db/client";
import { toWireMessage } from "./to-wire";

/**
 * A page of history in sequence order: the newest page, the page before a
 * sequence number (scrolling up), or the page after one (catch-up after a
 * reconnect). One more row than asked tells whether more exist.
 */
export async function listMessages(user: SessionUser, conversationId: unknown, query: unknown): Promise<MessagePage> {
  const id = conversationIdSchema.parse(conversationId);
  const q = historyQuery.parse(query);
  await accessConversation(user, id);
  const forward = q.after !== undefined;
  const bound =
    q.after !== undefined ? gt(messages.seq, q.after) : q.before !== undefined ? lt(messages.seq, q.before) : undefined;
  const rows = await db()
    .select({ message: messages, senderName: users.name })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .where(and(eq(messages.conversationId, id), bound))
    .orderBy(forward ? asc(messages.seq) : desc(messages.seq))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit).map((r) => toWireMessage(r.message, r.senderName));
  if (!forward) page.reverse();
  return { messages: page, hasMore: rows.length > q.limit };
}
