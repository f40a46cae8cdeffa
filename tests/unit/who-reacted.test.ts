import { describe, expect, it } from "vitest";
import { whoReacted } from "@/lib/emoji/who-reacted";

const names: Record<string, string> = { a: "Alice", b: "Bob", c: "Carol", d: "Dan", e: "Eve", me: "Mia" };
const nameOf = (id: string) => names[id] ?? "Someone";
const say = (userIds: string[], count = userIds.length) => whoReacted({ userIds, count }, "me", nameOf, ":tada:");

describe("whoReacted", () => {
  it("names one, two and three people", () => {
    expect(say(["a"])).toBe("Alice reacted with :tada:");
    expect(say(["a", "b"])).toBe("Alice and Bob reacted with :tada:");
    expect(say(["a", "b", "c"])).toBe("Alice, Bob and Carol reacted with :tada:");
  });

  it("names two and counts the others past three", () => {
    expect(say(["a", "b", "c", "d"])).toBe("Alice, Bob and 2 others reacted with :tada:");
    expect(say(["a", "b", "c", "d", "e"])).toBe("Alice, Bob and 3 others reacted with :tada:");
  });

  it("says You, first, for the reader", () => {
    expect(say(["me"])).toBe("You reacted with :tada:");
    expect(say(["a", "me"])).toBe("You and Alice reacted with :tada:");
    expect(say(["a", "b", "me", "c", "d"])).toBe("You, Alice and 3 others reacted with :tada:");
  });

  it("counts people the server did not list", () => {
    expect(say(["a"], 2)).toBe("Alice and 1 other reacted with :tada:");
    expect(say(["a", "b"], 40)).toBe("Alice, Bob and 38 others reacted with :tada:");
    expect(say([], 3)).toBe("3 people reacted with :tada:");
    expect(say([], 1)).toBe("1 person reacted with :tada:");
  });

  it("counts a person listed twice once, and trusts the list over a smaller count", () => {
    expect(say(["a", "a", "b"], 2)).toBe("Alice and Bob reacted with :tada:");
    expect(say(["a", "b", "c"], 1)).toBe("Alice, Bob and Carol reacted with :tada:");
  });

  it("says so when no one reacted", () => {
    expect(say([], 0)).toBe("No one reacted with :tada:");
  });
});
