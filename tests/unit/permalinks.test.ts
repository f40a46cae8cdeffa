import { describe, expect, it } from "vitest";
import { linkedReply, linkedSeq, messagePath } from "@/lib/client/permalinks";

const parent = "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10";
const params = (path: string) => new URL(path, "http://parley.test").searchParams;

describe("message links", () => {
  it("name the conversation and the message's number, and read back to that number", () => {
    const path = messagePath(parent, 312);
    expect(path).toBe(`/c/${parent}?m=312`);
    expect(linkedSeq(params(path).get("m")!)).toBe(312);
    expect(linkedReply(params(path).get("m")!, undefined)).toBeNull();
  });

  it("tell no parameter from one that names no message", () => {
    expect(linkedSeq(undefined)).toBeNull();
    for (const bad of ["0", "-3", "1.5", "abc", "", "012", "9".repeat(16)]) expect(linkedSeq(bad)).toBe("invalid");
    expect(linkedSeq(["1", "2"])).toBe("invalid");
  });
});

describe("thread reply links", () => {
  it("name the parent, the root's number and the reply's number in its thread, and read back to both", () => {
    const path = messagePath(parent, 312, 7);
    expect(path).toBe(`/c/${parent}?m=312&t=7`);
    const m = params(path).get("m")!;
    const t = params(path).get("t")!;
    expect(linkedSeq(m)).toBe(312);
    expect(linkedReply(m, t)).toBe(7);
  });

  it("tell a reply that no number names, or one without the message it replies to, from none", () => {
    for (const bad of ["0", "-3", "1.5", "abc", "", "012", "9".repeat(16)])
      expect(linkedReply("312", bad)).toBe("invalid");
    expect(linkedReply("312", ["1", "2"])).toBe("invalid");
    expect(linkedReply(undefined, "7")).toBe("invalid");
    expect(linkedReply("abc", "7")).toBe("invalid");
    expect(linkedReply(undefined, undefined)).toBeNull();
  });
});
