import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Conversation, ConversationInfo, Person } from "@/lib/protocol";
import { changeStreams, conversationMembers, conversations, messages, workspace } from "@/drizzle/schema";
import type { Db, Tx } from "@/server/db/client";

type Reader = Db | Tx;

/**
 * The members of a direct or group message, by name; a channel's are listed on request instead.
 * Each name is one primary-key lookup. Joined instead, PostgreSQL hashed the whole users table
 * once for every conversation while the table was small (S9: 12 of 20 ms for 400 DMs and groups
 * among 301 people), a cost that grows with the workspace; `offset 0` keeps the lookup from being
 * merged into such a join.
 */
export const directMembersJson = (
  conversation: string,
) => `case when ${conversation}.kind = 'channel' then '[]'::json else (
  select json_agg(json_build_object('id', x.user_id, 'name', u.name) order by u.name, x.user_id)
  from conversation_members x cross join lateral (select name from users where id = x.user_id offset 0) u
  where x.conversation_id = ${conversation}.id
) end`;

const directMembers = sql<Person[]>`${sql.raw(directMembersJson('"conversations"'))}`;

/**
 * When the newest message was sent: one index lookup per conversation. As a join, PostgreSQL
 * hashed every message of the workspace whenever that looked cheaper than the lookups (S9: a
 * sequential scan of all 60,000), so the sidebar's cost grew with the messages.
 */
const lastMessageAt = sql<Date | null>`(
  select m.created_at from messages m where m.conversation_id = ${conversations.id} and m.seq = ${conversations.lastSeq}
)`.mapWith(messages.createdAt);

/**
 * The reader's unread mentions in each conversation: one lookup of the
 * mentions index, under the person's id and the conversation's (@channel, @here);
 * a message that mentions them both ways counts once.
 */
export const unreadMentionSeqsSql = (conversation: string, member: string, userParam: string) => `array(
  select distinct mn.seq from mentions mn
  where mn.conversation_id = ${conversation}.id and mn.mentioned_id = any(array[${userParam}, ${conversation}.id])
    and mn.seq > ${member}.last_read_seq and mn.sender_id <> ${userParam}
  order by mn.seq)`;

const infoColumns = {
  conversation: conversations,
  isDefault: sql<boolean>`coalesce(${workspace.defaultChannelId} = ${conversations.id}, false)`,
  members: directMembers,
};

type InfoRow = { conversation: typeof conversations.$inferSelect; isDefault: boolean; members: Person[] | null };

function toInfo({ conversation: c, isDefault, members }: InfoRow): ConversationInfo {
  // Threads are never members' conversations: they are followed, and listed by the Threads view.
  if (c.kind === "thread") throw new Error(`Conversation ${c.id} is a thread`);
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    topic: c.topic,
    description: c.description,
    isPrivate: c.isPrivate,
    archived: c.archivedAt !== null,
    isDefault,
    createdBy: c.createdBy,
    memberCount: c.memberCount,
    mentionsRestricted: c.mentionsRestricted,
    members: members ?? [],
  };
}

/** What every member sees of one conversation, as the transaction sees it. */
export async function readConversationInfo(reader: Reader, conversationId: string): Promise<ConversationInfo> {
  const [row] = await reader
    .select(infoColumns)
    .from(conversations)
    .leftJoin(workspace, eq(workspace.id, 1))
    .where(eq(conversations.id, conversationId));
  if (!row) throw new Error(`Conversation ${conversationId} vanished`);
  return toInfo(row);
}

/**
 * Conversations as their member has them: one statement, whose cost grows
 * with the number of conversations and not with their messages (the newest
 * message is one index lookup; unread counts are lastSeq - lastReadSeq).
 */
export async function readMemberConversations(reader: Reader, userId: string, only?: string): Promise<Conversation[]> {
  const rows = await memberConversationsQuery(reader, userId, only);
  return rows.map((row) => ({
    ...toInfo(row),
    lastSeq: row.conversation.lastSeq,
    lastReadSeq: row.lastReadSeq,
    mentionSeqs: row.mentionSeqs.map(Number),
    changeSeq: row.changeSeq,
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
  }));
}

function memberConversationsQuery(reader: Reader, userId: string, only?: string) {
  const where: SQL | undefined = and(
    eq(conversationMembers.userId, userId),
    only ? eq(conversationMembers.conversationId, only) : undefined,
  );
  return reader
    .select({
      ...infoColumns,
      lastReadSeq: conversationMembers.lastReadSeq,
      mentionSeqs: sql<string[]>`array(
        select distinct mn.seq from mentions mn
        where mn.conversation_id = ${conversations.id} and mn.mentioned_id = any(array[${userId}::uuid, ${conversations.id}])
          and mn.seq > ${conversationMembers.lastReadSeq} and mn.sender_id <> ${userId}::uuid
        order by mn.seq)`,
      changeSeq: sql<number>`coalesce(${changeStreams.lastSeq}, 0)`.mapWith(Number),
      lastMessageAt,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .leftJoin(workspace, eq(workspace.id, 1))
    .leftJoin(changeStreams, eq(changeStreams.id, conversations.id))
    .where(where)
    .orderBy(asc(conversations.id));
}

/** One conversation as this member has it, or null when they are not in it. */
export async function readMemberConversation(
  reader: Reader,
  userId: string,
  conversationId: string,
): Promise<Conversation | null> {
  const [conversation] = await readMemberConversations(reader, userId, conversationId);
  return conversation ?? null;
}
