import type { Reaction } from "@/lib/protocol";

/**
 * A message's reactions with one person's reaction put on or taken off, as
 * the server would: each person once per emoji, a new emoji last, an emoji
 * nobody has any more gone.
 */
export function toggleReaction(reactions: Reaction[], emoji: string, userId: string, present: boolean): Reaction[] {
  const held = reactions.find((r) => r.emoji === emoji);
  if (present) {
    if (held?.userIds.includes(userId)) return reactions;
    if (!held) return [...reactions, { emoji, userIds: [userId] }];
    return reactions.map((r) => (r === held ? { emoji, userIds: [...r.userIds, userId] } : r));
  }
  if (!held?.userIds.includes(userId)) return reactions;
  const userIds = held.userIds.filter((id) => id !== userId);
  return userIds.length === 0
    ? reactions.filter((r) => r !== held)
    : reactions.map((r) => (r === held ? { emoji, userIds } : r));
}
