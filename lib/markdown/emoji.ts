export type Shortcodes = ReadonlyMap<string, string>;

const SHORTCODE = /:([a-z0-9_+-]+):/gi;

/** Replaces the shortcodes it knows (`:tada:`) with their emoji; unknown ones stay as typed. */
export function replaceShortcodes(text: string, shortcodes: Shortcodes): string {
  if (!text.includes(":")) return text;
  return text.replace(SHORTCODE, (whole, name: string) => shortcodes.get(name.toLowerCase()) ?? whole);
}

/**
 * Emojibase's hexcodes leave out the variation selector: a lone code point or a keycap gets U+FE0F
 * so it shows as an emoji rather than as a text glyph.
 */
export function emojiOf(hexcode: string): string {
  const points = hexcode.split("-").map((hex) => parseInt(hex, 16));
  if (points.length === 1 || points[1] === 0x20e3) points.splice(1, 0, 0xfe0f);
  return String.fromCodePoint(...points);
}

/** Emojibase's GitHub set (the names Slack users know: `:tada:`, `:+1:`) as shortcode -> emoji. */
export function shortcodeMap(data: Record<string, string | string[]>): Shortcodes {
  const map = new Map<string, string>();
  for (const [hexcode, names] of Object.entries(data)) {
    const emoji = emojiOf(hexcode);
    for (const name of [names].flat()) map.set(name.toLowerCase(), emoji);
  }
  return map;
}
