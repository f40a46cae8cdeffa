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
});

export const conversationIdSchema = z.uuid("Unknown conversation");

export const conversationSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["channel", "dm", "group"]),
  name: z.string().nullable(),
  topic: z.string(),
  isPrivate: z.boolean(),
  lastSeq: z.number().int(),
  lastReadSeq: z.number().int(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const channelListingSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  topic: z.string(),
  memberCount: z.number().int(),
  isMember: z.boolean(),
});
export type ChannelListing = z.infer<typeof channelListingSchema>;
