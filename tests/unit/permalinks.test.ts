import { describe, expect, it } from "vitest";
import { linkedSeq, messagePath } from "@/lib/client/permalinks";

describe("message links", () => {
  it("name the conversation and the message's number, and read back to that number", () => {
    const path = messagePath("7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10", 312);
    expect(path).toBe("/c/7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10?m=312");
    expect(linkedSeq(new URL(path, "http://parley.test").searchParams.get("m")!)).toBe(312);
  });

  it("tell no parameter from one that names no message", () => {
    expect(linkedSeq(undefined)).toBeNull();
    for (const bad of ["0", "-3", "1.5", "abc", "", "012", "9".repeat(16)]) expect(linkedSeq(bad)).toBe("invalid");
    expect(linkedSeq(["1", "2"])).toBe("invalid");
  });
});
