import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["admin", "member"]);
export const conversationKind = pgEnum("conversation_kind", ["channel", "dm", "group", "thread"]);
export const memberRole = pgEnum("member_role", ["owner", "member"]);
export const mentionKind = pgEnum("mention_kind", ["user", "channel", "here"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** The one workspace of this installation, created by the first person to sign up. */
export const workspace = pgTable(
  "workspace",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull(),
    /** #general: everyone joins it on sign-up and nobody leaves it. */
    defaultChannelId: uuid("default_channel_id"),
    /** How long after sending a message its sender may edit it; null: always. */
    messageEditWindowSeconds: integer("message_edit_window_seconds"),
    createdAt: createdAt(),
  },
  (t) => [check("workspace_singleton", sql`${t.id} = 1`)],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull().default("member"),
    createdAt: createdAt(),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }),
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

/**
 * One row per signed-in device. The JWT names its row, and every request and
 * socket handshake checks that the row still exists, so deleting rows signs
 * people out on the server.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /**
     * Threads only: the channel, direct or group message whose message they answer. A thread takes its
     * parent's members, privacy and archive state; its own members are the people who follow it.
     */
    parentId: uuid("parent_id").references((): AnyPgColumn => conversations.id, { onDelete: "cascade" }),
    /** Threads only: the sequence number of the message in the parent they answer. */
    rootSeq: bigint("root_seq", { mode: "number" }),
    kind: conversationKind("kind").notNull(),
    /** Channels only: lowercase, unique among channels. */
    name: text("name"),
    topic: text("topic").notNull().default(""),
    description: text("description").notNull().default(""),
    /**
     * Direct and group messages only: the sorted ids of their members, joined by commas. Unique, so the
     * same people find the same conversation again, even when two of them start it at the same moment.
     */
    memberKey: text("member_key"),
    isPrivate: boolean("is_private").notNull().default(false),
    /** Channels only: @channel and @here are for its creator and admins. */
    mentionsRestricted: boolean("mentions_restricted").notNull().default(false),
    /** Kept with every membership change, in its transaction: the sidebar reads it for each conversation. */
    memberCount: integer("member_count").notNull().default(0),
    /** The sequence number of the newest message; the next message takes lastSeq + 1. */
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("conversations_channel_name_key")
      .on(t.name)
      .where(sql`${t.kind} = 'channel'`),
    check("conversations_channel_has_name", sql`${t.kind} <> 'channel' OR ${t.name} IS NOT NULL`),
    uniqueIndex("conversations_member_key_key").on(t.memberKey),
    check("conversations_direct_has_key", sql`${t.kind}::text in ('channel', 'thread') OR ${t.memberKey} IS NOT NULL`),
    // As text: a value added to an enum cannot be used in the transaction that adds it (the migration's).
    check(
      "conversations_thread_has_root",
      sql`(${t.kind}::text = 'thread') = (${t.parentId} IS NOT NULL AND ${t.rootSeq} IS NOT NULL)`,
    ),
    // One thread per message: two first replies at once find the same thread.
    uniqueIndex("conversations_thread_root_key").on(t.parentId, t.rootSeq),
  ],
);

export const conversationMembers = pgTable(
  "conversation_members",
  {
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull().default("member"),
    /** The highest sequence number this member has read. */
    lastReadSeq: bigint("last_read_seq", { mode: "number" }).notNull().default(0),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("conversation_members_user_idx").on(t.userId)],
);

export const messages = pgTable(
  "messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    senderId: uuid("sender_id")
      .notNull()
      .references(() => users.id),
    clientMessageId: uuid("client_message_id").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /**
     * Its reactions as history shows them (`reactionSchema[]`), kept with the `reactions` rows in the same
     * transaction, so that a history page reads no other table.
     */
    reactions: jsonb("reactions").notNull().default([]),
    /** The preview of its first link (`linkPreviewSchema`), once fetched off the message path; null: none. */
    linkPreview: jsonb("link_preview"),
    /** Its sender removed the preview: none is fetched for it again. */
    linkPreviewRemoved: boolean("link_preview_removed").notNull().default(false),
    /**
     * A thread's root: its summary (`threadSummarySchema`), rewritten in the transaction of every reply, so
     * that a history page shows it without reading the thread. Null: nobody has replied.
     */
    thread: jsonb("thread"),
    /** A reply also sent to its thread's conversation: where it was written (`alsoSentFromSchema`). */
    alsoSentFrom: jsonb("also_sent_from"),
  },
  (t) => [
    // History pages and catch-up both walk this index.
    uniqueIndex("messages_conversation_seq_key").on(t.conversationId, t.seq),
    uniqueIndex("messages_sender_client_id_key").on(t.senderId, t.clientMessageId),
  ],
);

/**
 * Whom each message mentions, written with it by the send statements and rewritten by edits and
 * deletions: a member (`mentioned_id` their id), or with @channel or @here the conversation as a whole
 * (`mentioned_id` the conversation's id, one row for both), so that a person's unread mentions in a
 * conversation, of either kind, are one index lookup. `id` orders mentions across conversations.
 */
export const mentions = pgTable(
  "mentions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    mentionedId: uuid("mentioned_id").notNull(),
    kind: mentionKind("kind").notNull(),
    /** A person's own @channel is no mention of them. */
    senderId: uuid("sender_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    uniqueIndex("mentions_conversation_mentioned_seq_key").on(t.conversationId, t.mentionedId, t.seq),
    index("mentions_mentioned_id_idx").on(t.mentionedId, t.id),
  ],
);

/**
 * Previews fetched, by link, so that a link posted again (or by many people) is fetched once a day at most.
 * A null preview remembers a page without one, or a link that could not or may not be fetched.
 */
export const linkPreviews = pgTable("link_previews", {
  link: text("link").primaryKey(),
  preview: jsonb("preview"),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // postgres.js gives a Buffer, PGlite a Uint8Array.
  fromDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

/**
 * The images of link previews, as Parley made them: a small WebP made from the image a page names, fetched
 * like the page, so that a reader's browser never asks the page's site for anything. Named by the hash of
 * their bytes, so an image named by many pages is kept once.
 */
export const linkPreviewImages = pgTable("link_preview_images", {
  id: text("id").primaryKey(),
  bytes: bytea("bytes").notNull(),
  createdAt: createdAt(),
});

/** Who reacted to a message with which emoji: each person once per emoji. */
export const reactions = pgTable(
  "reactions",
  {
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    emoji: text("emoji").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.emoji, t.userId] })],
);

/**
 * The change feed's streams: one per conversation (what its members see change) and one per user (their
 * own memberships and read positions). Each counts its changes; the row lock taken to count orders a
 * stream's changes as they commit. A table of its own, so that changes never wait on the lock that
 * sends hold on `conversations.last_seq`.
 */
export const changeStreams = pgTable("change_streams", {
  id: uuid("id").primaryKey(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
});

/**
 * The newest change of each thing a stream holds (`key`: "conversation", "member:<user id>",
 * "read:<conversation id>"...), with the stream's sequence number it was made at. A later change of
 * the same thing replaces the row, so the feed holds at most one row per thing: catching up from any
 * point costs the things that changed since, however often they changed.
 */
export const changes = pgTable(
  "changes",
  {
    streamId: uuid("stream_id").notNull(),
    key: text("key").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** The newest message of the conversation the change is about, when it was made: see Change.atSeq. */
    atSeq: bigint("at_seq", { mode: "number" }).notNull(),
    data: jsonb("data").notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.key] }), uniqueIndex("changes_stream_seq_key").on(t.streamId, t.seq)],
);
