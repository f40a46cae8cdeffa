import { describe, expect, it } from "vitest";
import { addRecent, parseRecent, RECENT_LIMIT } from "@/lib/emoji/recent";

describe("addRecent", () => {
  it("puts the emoji first and keeps it once", () => {
    expect(addRecent([], "🎉")).toEqual(["🎉"]);
    expect(addRecent(["👍", "🎉", "😀"], "🎉")).toEqual(["🎉", "👍", "😀"]);
  });

  it("drops the oldest past the limit", () => {
    const full = Array.from({ length: RECENT_LIMIT }, (_, i) => String.fromCodePoint(0x1f600 + i));
    const next = addRecent(full, "🎉");
    expect(next).toHaveLength(RECENT_LIMIT);
    expect(next[0]).toBe("🎉");
    expect(next).not.toContain(full.at(-1));
  });

  it("does not change the list it was given", () => {
    const before = ["👍"];
    addRecent(before, "🎉");
    expect(before).toEqual(["👍"]);
  });
});

describe("parseRecent", () => {
  it("reads back what was stored", () => {
    expect(parseRecent(JSON.stringify(["🎉", "👍"]))).toEqual(["🎉", "👍"]);
  });

  it.each([
    ["nothing", null],
    ["an empty string", ""],
    ["broken JSON", '["🎉"'],
    ["an object", '{"a":1}'],
    ["a string", '"🎉"'],
  ])("gives an empty list for %s", (_, stored) => {
    expect(parseRecent(stored)).toEqual([]);
  });

  it("keeps only non-empty strings, once each, up to the limit", () => {
    expect(parseRecent(JSON.stringify(["🎉", 3, null, "", "🎉", "👍"]))).toEqual(["🎉", "👍"]);
    const many = Array.from({ length: 50 }, (_, i) => String.fromCodePoint(0x1f600 + i));
    expect(parseRecent(JSON.stringify(many))).toHaveLength(RECENT_LIMIT);
  });
});
