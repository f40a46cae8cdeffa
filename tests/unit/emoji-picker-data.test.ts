import data from "emojibase-data/en/data.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { normalizeEmoji } from "@/lib/emoji/catalog";
import { pickerEmojiData } from "@/lib/emoji/picker-data";

describe("pickerEmojiData", () => {
  const picker = pickerEmojiData(data);

  it("offers exactly the emoji and skin tones the catalog accepts", () => {
    const offered = picker.flatMap((e) => [e.emoji, ...(e.skins ?? []).map((s) => s.emoji)]);
    expect(offered.length).toBeGreaterThan(3500);
    expect(offered.filter((e) => normalizeEmoji(e) !== e)).toEqual([]);
    expect(offered).not.toContain("🏻");
    expect(offered).not.toContain("🇦");
  });

  it("keeps what the picker reads and drops the rest", () => {
    const wave = picker.find((e) => e.emoji === "👋");
    expect(wave).toMatchObject({ label: "waving hand", group: 1, version: 0.6 });
    expect(wave?.tags).toContain("hello");
    expect(wave?.skins?.[0]).toEqual({ emoji: "👋🏻", tone: 1 });
    expect(Object.keys(wave ?? {}).sort()).toEqual(["emoji", "group", "label", "skins", "subgroup", "tags", "version"]);
    expect(JSON.stringify(picker).length).toBeLessThan(JSON.stringify(data).length * 0.7);
  });
});
