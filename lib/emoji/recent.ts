/** How many recently used emoji the picker keeps: one row and a half at its width. */
export const RECENT_LIMIT = 16;

/** The list after emoji was used: it moves to the front, once, and the oldest falls off past the limit. */
export function addRecent(recent: readonly string[], emoji: string, limit = RECENT_LIMIT): string[] {
  return [emoji, ...recent.filter((e) => e !== emoji)].slice(0, limit);
}

/** The stored list, or an empty one when storage holds nothing usable (absent, edited by hand, older shape). */
export function parseRecent(stored: string | null, limit = RECENT_LIMIT): string[] {
  if (!stored) return [];
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value)) return [];
    const emoji = value.filter((e): e is string => typeof e === "string" && e.length > 0 && e.length <= 64);
    return [...new Set(emoji)].slice(0, limit);
  } catch {
    return [];
  }
}
