import { describe, expect, it } from "vitest";
import { toggleReaction } from "@/lib/client/reactions";

const ME = "00000000-0000-4000-8000-000000000001";
const YOU = "00000000-0000-4000-8000-000000000002";

describe("toggleReaction", () => {
  it("adds a person once per emoji, a new emoji last", () => {
    const one = toggleReaction([], "🎉", ME, true);
    expect(one).toEqual([{ emoji: "🎉", userIds: [ME] }]);
    expect(toggleReaction(one, "🎉", ME, true)).toBe(one);
    expect(toggleReaction(one, "🎉", YOU, true)).toEqual([{ emoji: "🎉", userIds: [ME, YOU] }]);
    expect(toggleReaction(one, "👍", ME, true)).toEqual([...one, { emoji: "👍", userIds: [ME] }]);
  });

  it("takes a person off, and an emoji nobody has any more away", () => {
    const both = [
      { emoji: "🎉", userIds: [ME, YOU] },
      { emoji: "👍", userIds: [ME] },
    ];
    expect(toggleReaction(both, "🎉", ME, false)).toEqual([
      { emoji: "🎉", userIds: [YOU] },
      { emoji: "👍", userIds: [ME] },
    ]);
    expect(toggleReaction(both, "👍", ME, false)).toEqual([{ emoji: "🎉", userIds: [ME, YOU] }]);
    expect(toggleReaction(both, "👍", YOU, false)).toBe(both);
  });
});
