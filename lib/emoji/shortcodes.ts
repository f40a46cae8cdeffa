import iamcal from "emojibase-data/en/shortcodes/iamcal.json" with { type: "json" };
import { emojiKey, hexcodeKey } from "./emoji-key";

/** The skin tone modifiers, light to dark, as emojiKey writes them: Slack calls them skin-tone-2 to -6. */
const SKIN_TONES = ["1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"];

let byKey: Map<string, string> | null = null;

/** Slack's names (iamcal's set, 48 kB: a fifth of Emojibase's own, which names every skin tone). */
function names(): Map<string, string> {
  if (byKey) return byKey;
  byKey = new Map();
  for (const [hexcode, codes] of Object.entries(iamcal as Record<string, string | string[]>)) {
    const first = typeof codes === "string" ? codes : codes[0];
    if (first) byKey.set(hexcodeKey(hexcode), first);
  }
  return byKey;
}

/**
 * The emoji's shortcode as Slack writes it (":tada:", ":wave::skin-tone-3:"), or null when Slack's set has no
 * name for it (the newest emoji, or not an emoji at all).
 */
export function shortcodeOf(emoji: string): string | null {
  const points = emojiKey(emoji).split("-");
  const own = names().get(points.join("-"));
  if (own) return `:${own}:`;
  const tones = [...new Set(points.filter((p) => SKIN_TONES.includes(p)))];
  if (tones.length === 0) return null;
  const base = names().get(points.filter((p) => !SKIN_TONES.includes(p)).join("-"));
  if (!base) return null;
  return `:${base}::skin-tone-${tones.map((t) => SKIN_TONES.indexOf(t) + 2).join("-")}:`;
}
