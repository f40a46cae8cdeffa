export type Reaction = { emoji: string; count: number; userIds: string[] };

/** Up to this many reactors are named; past it, two are named and the rest counted, as Slack does. */
const NAMED = 3;

/**
 * "You, Alice and 3 others reacted with :tada:": the reader first, then the others in the order given.
 * count is the total, which may exceed the ids the server sent; what is not named is counted.
 */
export function whoReacted(
  reaction: Pick<Reaction, "count" | "userIds">,
  me: string,
  nameOf: (userId: string) => string,
  emojiName: string,
): string {
  const ids = [...new Set(reaction.userIds)];
  const names = [...(ids.includes(me) ? ["You"] : []), ...ids.filter((id) => id !== me).map((id) => nameOf(id))];
  const total = Math.max(reaction.count, names.length);
  if (total === 0) return `No one reacted with ${emojiName}`;
  const shown = total <= NAMED && names.length === total ? names : names.slice(0, NAMED - 1);
  const others = total - shown.length;
  const people = others > 0 ? [...shown, shown.length > 0 ? othersPhrase(others) : peoplePhrase(others)] : shown;
  return `${listPhrase(people)} reacted with ${emojiName}`;
}

function othersPhrase(count: number): string {
  return count === 1 ? "1 other" : `${count} others`;
}

function peoplePhrase(count: number): string {
  return count === 1 ? "1 person" : `${count} people`;
}

function listPhrase(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
