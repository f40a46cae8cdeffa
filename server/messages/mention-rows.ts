import { maybeMentions, mentionsOf } from "@/lib/markdown/mentions";

export type MentionKind = "user" | "channel" | "here";

/**
 * The mentions rows of a message, as its statement takes them: each person it
 * mentions but its sender, and the conversation itself for @channel or @here.
 * The statement keeps only the people who are members.
 */
export type MentionRows = { ids: string[]; kinds: MentionKind[]; everyone: boolean };

const NONE: MentionRows = { ids: [], kinds: [], everyone: false };

export function mentionRows(conversationId: string, senderId: string, text: string): MentionRows {
  if (!maybeMentions(text)) return NONE;
  const { userIds, channel, here } = mentionsOf(text);
  const people = userIds.filter((id) => id !== senderId.toLowerCase());
  const everyone: MentionKind | null = channel ? "channel" : here ? "here" : null;
  const ids = everyone ? [...people, conversationId] : people;
  const kinds: MentionKind[] = people.map((): MentionKind => "user");
  if (everyone) kinds.push(everyone);
  return { ids, kinds, everyone: everyone !== null };
}
