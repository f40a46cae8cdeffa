import { describe, expect, it } from "vitest";
import { linkPreviewSchema } from "@/lib/protocol";

const preview = {
  url: "https://example.com/a",
  title: "A page",
  description: null,
  imageUrl: null,
  siteName: null,
};

describe("linkPreviewSchema", () => {
  it("accepts a preview with only a URL and a title, as those kept before images were, without an image", () => {
    expect(linkPreviewSchema.parse(preview)).toEqual({ ...preview, image: null });
  });

  it("refuses an image that is not named by its hash", () => {
    const image = { id: "../../etc/passwd", width: 10, height: 10 };
    expect(linkPreviewSchema.safeParse({ ...preview, image }).success).toBe(false);
    const kept = { id: "A".repeat(43), width: 10, height: 10 };
    expect(linkPreviewSchema.parse({ ...preview, image: kept }).image).toEqual(kept);
  });

  it.each([
    ["a javascript: URL", { url: "javascript:alert(1)" }],
    ["a data: image", { imageUrl: "data:image/png;base64,AAAA" }],
    ["a file: image", { imageUrl: "file:///etc/passwd" }],
    ["no title", { title: null }],
    ["an empty title", { title: "" }],
    ["a title of 301 characters", { title: "t".repeat(301) }],
    ["a description of 1,001 characters", { description: "d".repeat(1001) }],
    ["a URL of 2,049 characters", { url: `https://example.com/${"a".repeat(2029)}` }],
  ])("refuses %s", (_label, change) => {
    expect(linkPreviewSchema.safeParse({ ...preview, ...change }).success).toBe(false);
  });
});
