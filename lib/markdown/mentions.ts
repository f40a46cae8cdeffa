import type { Block, Inline, Mention } from "./ast";
import { scanMessage } from "./parse";

export type Mentions = { userIds: string[]; channel: boolean; here: boolean };

/** Every mention token in the parsed text, in order; tokens inside code are text, not mentions. */
export function mentionTokens(blocks: readonly Block[]): Mention[] {
  const found: Mention[] = [];
  const visitInline = (node: Inline): void => {
    if (node.type === "mention") found.push(node.mention);
    else if ("children" in node) node.children.forEach(visitInline);
  };
  const visitBlock = (block: Block): void => {
    if (block.type === "paragraph") block.children.forEach(visitInline);
    else if (block.type === "quote") block.children.forEach(visitBlock);
    else if (block.type === "list") block.items.forEach((item) => item.children.forEach(visitBlock));
  };
  blocks.forEach(visitBlock);
  return found;
}

/** Who a message's text mentions, as it renders: the server decides notifications with the same rule. */
export function mentionsOf(text: string): Mentions {
  const users = new Set<string>();
  const mentions: Mentions = { userIds: [], channel: false, here: false };
  for (const mention of mentionTokens(scanMessage(text))) {
    if (mention.kind === "user") users.add(mention.id);
    else if (mention.kind === "everyone") mentions[mention.scope] = true;
  }
  mentions.userIds = [...users];
  return mentions;
}

/** Whether the text mentions this person by id, or everyone with @channel or @here. */
export function mentionsUser(text: string, userId: string): boolean {
  const { userIds, channel, here } = mentionsOf(text);
  return channel || here || userIds.includes(userId.toLowerCase());
}

/**
 * Whether a message is a mention of this reader as the server stores it: their id, @channel or @here,
 * in someone else's message (a person's own @channel or self-mention calls no one).
 */
export function mentionsReader(text: string, senderId: string, readerId: string): boolean {
  return senderId !== readerId && maybeMentions(text) && mentionsUser(text, readerId);
}

/** Whether the text may hold a mention token at all: most do not, and they skip the parse. */
export function maybeMentions(text: string): boolean {
  return text.includes("<@") || text.includes("<!");
}

/** Whether someone else's message names this reader: how a thread's replies mention people. */
export function namesReader(text: string, senderId: string, readerId: string): boolean {
  return senderId !== readerId && text.includes("<@") && mentionsOf(text).userIds.includes(readerId.toLowerCase());
}
