import { describe, expect, it } from "vitest";
import { firstWebLink } from "@/lib/markdown/links";

describe("firstWebLink", () => {
  it("finds the first http(s) link as the message renders it", () => {
    expect(firstWebLink("see https://a.example/x and https://b.example")).toBe("https://a.example/x");
    expect(firstWebLink("[docs](https://docs.example/page) then https://b.example")).toBe("https://docs.example/page");
    expect(firstWebLink("> quoted https://q.example\n\n- item http://l.example")).toBe("https://q.example");
    expect(firstWebLink("- one\n- two https://l.example")).toBe("https://l.example");
  });

  it("skips code, mail and other schemes, and text without links", () => {
    expect(firstWebLink("`https://code.example` and https://after.example")).toBe("https://after.example");
    expect(firstWebLink("```\nhttps://block.example\n```")).toBeNull();
    expect(firstWebLink("mail me: someone@example.com")).toBeNull();
    expect(firstWebLink("[x](javascript:alert(1)) ftp://files.example")).toBeNull();
    expect(firstWebLink("no links here")).toBeNull();
  });

  it("ends a bare URL where the rendered message ends it, beside emphasis marks", () => {
    // Found by the property test of tests/unit/markdown-scans.test.ts: a parse without emphasis kept
    // `http://b.example``___` as one text, in which no link was found.
    expect(firstWebLink("http://b.example``_\\__<!here>mailto:c@d.example")).toBe("http://b.example%60%60");
  });
});
