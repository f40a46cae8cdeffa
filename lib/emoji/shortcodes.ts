import emojibase from "emojibase-data/en/shortcodes/emojibase.json" with { type: "json" };
import iamcal from "emojibase-data/en/shortcodes/iamcal.json" with { type: "json" };
import { emojiKey, hexcodeKey } from "./emoji-key";

type ShortcodeSet = Record<string, string | string[]>;

let byKey: Map<string, string> | null = null;

/**
 * Slack's names (iamcal's set: ":tada:", ":+1:") where it has one; Emojibase's own set, which also names
 * every skin tone and the newest emoji ("wave_tone1"), for the rest.
 */
function loadShortcodes(): Map<string, string> {
  if (byKey) return byKey;
  const map = new Map<string, string>();
  for (const set of [emojibase, iamcal] as ShortcodeSet[]) {
    for (const [hexcode, names] of Object.entries(set)) {
      const first = typeof names === "string" ? names : names[0];
      if (first) map.set(hexcodeKey(hexcode), first);
    }
  }
  byKey = map;
  return map;
}

/** The emoji's shortcode without colons ("tada" for 🎉), or null when no set names it. */
export function shortcodeOf(emoji: string): string | null {
  return loadShortcodes().get(emojiKey(emoji)) ?? null;
}
