import { describe, expect, it } from "vitest";
import { normalizeEmoji } from "@/lib/emoji/catalog";
import { shortcodeOf } from "@/lib/emoji/shortcodes";

const FE0F = "\u{FE0F}";

describe("normalizeEmoji", () => {
  it.each(["🎉", "😀", "🦄", "🫠"])("accepts the known emoji %s as it is", (emoji) => {
    expect(normalizeEmoji(emoji)).toBe(emoji);
  });

  it("writes an emoji that also has a text form as Emojibase does, with FE0F, as the picker gives it", () => {
    expect(normalizeEmoji("👍")).toBe(`👍${FE0F}`);
    expect(normalizeEmoji(`👍${FE0F}`)).toBe(`👍${FE0F}`);
  });

  it("gives the fully qualified form whether or not U+FE0F was typed", () => {
    expect(normalizeEmoji("❤")).toBe(`❤${FE0F}`);
    expect(normalizeEmoji(`❤${FE0F}`)).toBe(`❤${FE0F}`);
    expect(normalizeEmoji("☺")).toBe(normalizeEmoji(`☺${FE0F}`));
  });

  it("does not add U+FE0F where the emoji has none, nor keep one where it does not belong", () => {
    expect(normalizeEmoji(`🎉${FE0F}`)).toBe("🎉");
  });

  it("accepts skin tone variants, each as itself", () => {
    expect(normalizeEmoji("👋🏻")).toBe("👋🏻");
    expect(normalizeEmoji("👋🏿")).toBe("👋🏿");
    expect(normalizeEmoji("👍🏽")).toBe("👍🏽");
    expect(normalizeEmoji("👋🏻")).not.toBe(normalizeEmoji("👋🏿"));
    // Two people with two tones (ZWJ sequence with modifiers).
    expect(normalizeEmoji("🫱🏻‍🫲🏼")).toBe("🫱🏻‍🫲🏼");
  });

  it("accepts ZWJ sequences Emojibase lists, with or without their FE0F", () => {
    expect(normalizeEmoji("👩‍💻")).toBe("👩‍💻");
    expect(normalizeEmoji("👨‍👩‍👧‍👦")).toBe("👨‍👩‍👧‍👦");
    const rainbowFlag = `🏳${FE0F}‍🌈`;
    expect(normalizeEmoji(rainbowFlag)).toBe(rainbowFlag);
    expect(normalizeEmoji("🏳‍🌈")).toBe(rainbowFlag);
  });

  it("accepts country and subdivision flags", () => {
    expect(normalizeEmoji("🇫🇷")).toBe("🇫🇷");
    expect(normalizeEmoji("🇯🇵")).toBe("🇯🇵");
    expect(normalizeEmoji("🏴󠁧󠁢󠁳󠁣󠁴󠁿")).toBe("🏴󠁧󠁢󠁳󠁣󠁴󠁿");
  });

  it("refuses a lone regional indicator and a pair that is no country", () => {
    expect(normalizeEmoji("🇫")).toBeNull();
    expect(normalizeEmoji("🇶🇶")).toBeNull();
  });

  it("accepts keycaps with or without FE0F, and refuses the bare digit or sign", () => {
    expect(normalizeEmoji(`#${FE0F}⃣`)).toBe(`#${FE0F}⃣`);
    expect(normalizeEmoji("#⃣")).toBe(`#${FE0F}⃣`);
    expect(normalizeEmoji("1⃣")).toBe(`1${FE0F}⃣`);
    expect(normalizeEmoji("#")).toBeNull();
    expect(normalizeEmoji("1")).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["a letter", "a"],
    ["a word", "tada"],
    ["a shortcode", ":tada:"],
    ["text around an emoji", "yes 🎉"],
    ["an emoji with a space", "🎉 "],
    ["two emoji", "🎉🎉"],
    ["two different emoji", "👍😀"],
    ["a lone skin tone swatch", "🏻"],
    ["a lone FE0F", FE0F],
    ["a lone zero width joiner", "‍"],
    ["an unpaired surrogate", "\uD83C"],
    ["a sequence Emojibase does not list", "👍‍🎉"],
    ["an emoji with a tone it cannot take", "🎉🏻"],
    ["a very long string", "🎉".repeat(1000)],
  ])("refuses %s", (_, text) => {
    expect(normalizeEmoji(text)).toBeNull();
  });
});

describe("shortcodeOf", () => {
  it("names an emoji the way Slack does", () => {
    expect(shortcodeOf("🎉")).toBe(":tada:");
    expect(shortcodeOf("👍")).toBe(":+1:");
    expect(shortcodeOf("🇫🇷")).toBe(":fr:");
    expect(shortcodeOf("👨‍👩‍👧")).toBe(":man-woman-girl:");
  });

  it("finds the name whether or not U+FE0F was typed", () => {
    expect(shortcodeOf("❤")).toBe(":heart:");
    expect(shortcodeOf(`❤${FE0F}`)).toBe(":heart:");
    expect(shortcodeOf(`#${FE0F}⃣`)).toBe(":hash:");
    expect(shortcodeOf("#⃣")).toBe(":hash:");
  });

  it("names a skin tone after its emoji, with Slack's skin-tone-2 (light) to -6 (dark)", () => {
    expect(shortcodeOf("👋🏻")).toBe(":wave::skin-tone-2:");
    expect(shortcodeOf("👍🏿")).toBe(":+1::skin-tone-6:");
    expect(shortcodeOf("🧑🏽‍💻")).toBe(":technologist::skin-tone-4:");
    expect(shortcodeOf("🧑🏻‍🤝‍🧑🏼")).toBe(":people_holding_hands::skin-tone-2-3:");
  });

  it("has no name for emoji newer than Slack's set, nor for what is not an emoji", () => {
    const distortedFace = String.fromCodePoint(0x1faea); // Emoji 17.0
    expect(normalizeEmoji(distortedFace)).toBe(distortedFace);
    expect(shortcodeOf(distortedFace)).toBeNull();
    expect(shortcodeOf("a")).toBeNull();
    expect(shortcodeOf("🎉🎉")).toBeNull();
  });
});
