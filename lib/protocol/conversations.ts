import { z } from "@/lib/zod";
import { textSchema } from "./text";

/** Slack's rules: lowercase letters, digits, hyphens and underscores, at most 80 characters. */
const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,79}$/;

const channelNameSchema = z
  .string()
  .regex(
    CHANNEL_NAME_PATTERN,
    "Channel names use lowercase letters, numbers, hyphens and underscores, without spaces (at most 80 characters)",
  );

/** What the channel form shows as you type: "Team Plans!" becomes "team-plans". */
export function normalizeChannelName(input: string): string {
  return input
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[-_]+/, "")
    .slice(0, 80);
}

export const createChannelInput = z.object({
  name: channelNameSchema,
  topic: textSchema("Topic").trim().max(250).default(""),
  /** A private channel is invisible to everyone but its members. */
  isPrivate: z.boolean().default(false),
});

/**
 * A conversation's id, in the lower case PostgreSQL writes it in: rooms, the feed and every client
 * name a conversation by that string, and one written in capitals would reach none of them.
 */
export const conversationIdSchema = z.uuid("Unknown conversation").transform((id) => id.toLowerCase());

/** A person's id, in the lower case PostgreSQL writes it in, so that the same person always compares equal. */
export const personIdSchema = z.uuid("Unknown person").transform((id) => id.toLowerCase());

/** Largest group message, counting its starter: bigger conversations are channels. */
export const MAX_GROUP_SIZE = 9;

/**
 * Starts, or finds again, the direct message with the people named: one other
 * person is a DM, two to eight a group, and yourself alone your notepad.
 */
export const openDirectInput = z.object({
  userIds: z
    .array(personIdSchema)
    .min(1, "Choose at least one person")
    .max(MAX_GROUP_SIZE - 1, `Groups have at most ${MAX_GROUP_SIZE} people; make a channel for more`)
    .refine((ids) => new Set(ids).size === ids.length, "Each person can be in a conversation once"),
});

export const updateConversationInput = z
  .object({
    name: channelNameSchema.optional(),
    topic: textSchema("Topic").trim().max(250).optional(),
    description: textSchema("Description").trim().max(1000).optional(),
    /** Keep @channel and @here for the channel's creator and admins. */
    mentionsRestricted: z.boolean().optional(),
  })
  .strict()
  .refine((u) => Object.keys(u).length > 0, "Say what to change: name, topic, description or mentionsRestricted");

export const addMembersInput = z.object({
  userIds: z
    .array(personIdSchema)
    .min(1, "Choose at least one person")
    .max(100, "Add at most 100 people at a time")
    .refine((ids) => new Set(ids).size === ids.length, "Each person can be added once"),
});

const READ_SEQ = "seq is the newest sequence number read: a whole number, 0 or more";

export const markReadInput = z.object({
  conversationId: conversationIdSchema,
  /** The newest sequence number read: the position never moves back. */
  seq: z.number(READ_SEQ).int(READ_SEQ).min(0, READ_SEQ),
});
export type MarkReadInput = z.infer<typeof markReadInput>;

/** Someone as a conversation shows them. */
export const personSchema = z.object({ id: z.uuid(), name: z.string() });
export type Person = z.infer<typeof personSchema>;

/** What every member sees of a conversation, the same for all of them. */
export const conversationInfoSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["channel", "dm", "group"]),
  /** Channels only. */
  name: z.string().nullable(),
  topic: z.string(),
  description: z.string(),
  isPrivate: z.boolean(),
  archived: z.boolean(),
  /** #general: everyone is in it. */
  isDefault: z.boolean(),
  createdBy: z.uuid().nullable(),
  memberCount: z.number().int().min(0),
  /** Channels only: @channel and @here are for its creator and admins. */
  mentionsRestricted: z.boolean(),
  /** Direct and group messages only (nine people at most); a channel's members are listed on request. */
  members: z.array(personSchema),
});
export type ConversationInfo = z.infer<typeof conversationInfoSchema>;

/** A conversation as one member has it in their sidebar. */
export const conversationSchema = conversationInfoSchema.extend({
  lastSeq: z.number().int().min(0),
  lastReadSeq: z.number().int().min(0),
  /**
   * The sequence numbers, ascending, of the unread messages that mention this member (by name, or with
   * @channel or @here, in someone else's message): the sidebar's mention badge.
   */
  mentionSeqs: z.array(z.number().int().min(1)),
  /** The conversation's change feed position this was read at. */
  changeSeq: z.number().int().min(0),
  /** When its newest message was sent, for sorting by recent activity. */
  lastMessageAt: z.iso.datetime({ offset: true }).nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;

/** The sidebar: every conversation of the caller, and the caller's own change feed position. */
export const sidebarSchema = z.object({
  conversations: z.array(conversationSchema),
  changeSeq: z.number().int().min(0),
});
export type Sidebar = z.infer<typeof sidebarSchema>;

/** The sidebar over the socket takes nothing: `{}`. */
export const listConversationsInput = z.object({});
export type ListConversationsInput = z.input<typeof listConversationsInput>;

/**
 * The channel directory: public channels, or (`archived`) the archived channels you are in, public and
 * private, so that their members can find them again to read or bring back.
 */
export const listChannelsInput = z.object({
  archived: z
    .enum(["true", "false"], "archived is true or false")
    .default("false")
    .transform((value) => value === "true"),
});

export const channelListingSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  topic: z.string(),
  isPrivate: z.boolean(),
  archived: z.boolean(),
  memberCount: z.number().int(),
  isMember: z.boolean(),
});
export type ChannelListing = z.infer<typeof channelListingSchema>;
