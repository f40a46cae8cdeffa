import compact from "emojibase-data/en/compact.json" with { type: "json" };
import { emojiKey } from "./emoji-key";

/** Emojibase's group of skin tone and hair swatches: parts of other emoji, not emoji to react with. */
const COMPONENT_GROUP = 2;

type Catalog = { byKey: Map<string, string>; longest: number };

let catalog: Catalog | null = null;

/** Built on the first call, once per process (or tab): every later lookup is one Map access. */
function loadCatalog(): Catalog {
  if (catalog) return catalog;
  const byKey = new Map<string, string>();
  let longest = 0;
  for (const emoji of compact) {
    // Regional indicator letters have no group: only their pairs (flags) are emoji.
    if (emoji.group === undefined || emoji.group === COMPONENT_GROUP) continue;
    for (const { unicode } of [emoji, ...(emoji.skins ?? [])]) {
      byKey.set(emojiKey(unicode), unicode);
      longest = Math.max(longest, unicode.length);
    }
  }
  catalog = { byKey, longest };
  return catalog;
}

/**
 * The fully qualified form of text when it is exactly one emoji Emojibase lists (skin tones, ZWJ sequences,
 * flags and keycaps included), so that the same emoji typed with or without U+FE0F is stored one way;
 * null for anything else.
 */
export function normalizeEmoji(text: string): string | null {
  const { byKey, longest } = loadCatalog();
  if (text.length === 0 || text.length > longest) return null;
  return byKey.get(emojiKey(text)) ?? null;
}
