const VARIATION_SELECTOR_16 = 0xfe0f;

/**
 * The code points of text in Emojibase's hexcode notation ("1F44B-1F3FB"), without U+FE0F: the same emoji
 * typed with or without its emoji presentation selector gets the same key, and Emojibase, which writes
 * some hexcodes with FE0F and some without, can be looked up whichever way it wrote them.
 */
export function emojiKey(text: string): string {
  const points: string[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code !== VARIATION_SELECTOR_16) points.push(code.toString(16).toUpperCase().padStart(4, "0"));
  }
  return points.join("-");
}

/** An Emojibase hexcode as emojiKey writes it. */
export function hexcodeKey(hexcode: string): string {
  return hexcode
    .split("-")
    .filter((point) => point !== "FE0F")
    .join("-");
}
