import { describe, expect, it } from "vitest";
import { splitLinks } from "@/lib/client/links";

describe("splitLinks", () => {
  it("turns http and https URLs into links between plain text", () => {
    expect(splitLinks("see https://example.com/a?b=1 and http://x.org.")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: " and " },
      { kind: "link", text: "http://x.org", href: "http://x.org" },
      { kind: "text", text: "." },
    ]);
  });

  it("links email addresses and mailto: as mailto", () => {
    expect(splitLinks("mail ann@example.com")).toEqual([
      { kind: "text", text: "mail " },
      { kind: "link", text: "ann@example.com", href: "mailto:ann@example.com" },
    ]);
    expect(splitLinks("mailto:bo@example.com")).toEqual([
      { kind: "link", text: "mailto:bo@example.com", href: "mailto:bo@example.com" },
    ]);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example.com/x",
    "//example.com/protocol-relative",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "example.com without a scheme",
    '<a href="javascript:alert(1)">x</a>',
  ])("leaves %s as text", (text) => {
    expect(splitLinks(text)).toEqual([{ kind: "text", text }]);
  });

  it("gives back the whole text when the parts are joined", () => {
    const text = "a https://a.example/x b\nhttps://b.example c <b>not html</b>";
    expect(
      splitLinks(text)
        .map((p) => p.text)
        .join(""),
    ).toBe(text);
  });

  it("returns nothing for empty text", () => {
    expect(splitLinks("")).toEqual([]);
  });
});
