import { describe, expect, it } from "vitest";
import type { Block, Inline } from "@/lib/markdown/ast";
import { parseMessage } from "@/lib/markdown/parse";

const USER = "0b6f1a52-9c1e-4d7a-8f3e-2a9b7c6d5e41";
const CHANNEL = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";

const text = (t: string): Inline => ({ type: "text", text: t });
const paragraph = (...children: Inline[]): Block => ({ type: "paragraph", children });
/** The inlines of a one-paragraph message. */
function inlines(source: string): Inline[] {
  const blocks = parseMessage(source);
  expect(blocks).toHaveLength(1);
  expect(blocks[0]!.type).toBe("paragraph");
  return (blocks[0] as { children: Inline[] }).children;
}

describe("parseMessage: the subset", () => {
  it("reads bold, both italics, strike and inline code", () => {
    expect(inlines("**b** _i_ *j* ~~s~~ `c`")).toEqual([
      { type: "strong", children: [text("b")] },
      text(" "),
      { type: "em", children: [text("i")] },
      text(" "),
      { type: "em", children: [text("j")] },
      text(" "),
      { type: "strike", children: [text("s")] },
      text(" "),
      { type: "code", text: "c" },
    ]);
  });

  it("keeps every newline as a line break", () => {
    expect(inlines("one\ntwo\nthree")).toEqual([
      text("one"),
      { type: "break" },
      text("two"),
      { type: "break" },
      text("three"),
    ]);
  });

  it("reads fenced code with its language, and keeps what is inside literal", () => {
    expect(parseMessage("```ts\nconst a = **1**; <b>x</b>\n```")).toEqual([
      { type: "codeBlock", lang: "ts", text: "const a = **1**; <b>x</b>\n" },
    ]);
  });

  it("runs an unclosed fence to the end of the message, as code", () => {
    expect(parseMessage("```\n<script>alert(1)</script>")).toEqual([
      { type: "codeBlock", lang: "", text: "<script>alert(1)</script>" },
    ]);
  });

  it("ends a quote at the first line typed without >", () => {
    expect(parseMessage("> quoted\nnot quoted")).toEqual([
      { type: "quote", children: [paragraph(text("quoted"))] },
      paragraph(text("not quoted")),
    ]);
  });

  it("reads ordered and unordered lists and block quotes", () => {
    expect(parseMessage("- a\n- b\n\n3. x\n4. y\n\n> quoted\n> more")).toEqual([
      {
        type: "list",
        ordered: false,
        start: 1,
        items: [
          { tight: true, children: [paragraph(text("a"))] },
          { tight: true, children: [paragraph(text("b"))] },
        ],
      },
      {
        type: "list",
        ordered: true,
        start: 3,
        items: [
          { tight: true, children: [paragraph(text("x"))] },
          { tight: true, children: [paragraph(text("y"))] },
        ],
      },
      { type: "quote", children: [paragraph(text("quoted"), { type: "break" }, text("more"))] },
    ]);
  });
});

describe("parseMessage: shown as typed", () => {
  it.each([
    "# not a heading",
    "## nor this",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "---",
    "***",
    "<b>bold?</b> <img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- comment -->",
    "&lt;b&gt; &amp; &#106;",
    "[ref]: https://example.com",
    "    indented is not code",
  ])("%j", (source) => {
    const flat = (nodes: Inline[]): string =>
      nodes
        .map((n) =>
          n.type === "text" ? n.text : n.type === "break" ? "\n" : n.type === "link" ? flat(n.children) : `<${n.type}>`,
        )
        .join("");
    const shown = flat(parseMessage(source).flatMap((b) => (b.type === "paragraph" ? b.children : [])));
    expect(shown).toBe(source.replace(/^ +/gm, ""));
  });

  it("turns an image into a plain link to its URL", () => {
    expect(inlines("![cat](https://example.com/cat.png)")).toEqual([
      text("!"),
      { type: "link", href: "https://example.com/cat.png", children: [text("cat")] },
    ]);
  });
});

describe("parseMessage: links", () => {
  it("links http(s) URLs, emails and mailto, bare or in Markdown", () => {
    expect(
      inlines("see https://example.com/a?b=1 and [docs](http://x.org/d) or ann@example.com <https://auto.example>"),
    ).toEqual([
      text("see "),
      { type: "link", href: "https://example.com/a?b=1", children: [text("https://example.com/a?b=1")] },
      text(" and "),
      { type: "link", href: "http://x.org/d", children: [text("docs")] },
      text(" or "),
      { type: "link", href: "mailto:ann@example.com", children: [text("ann@example.com")] },
      text(" "),
      { type: "link", href: "https://auto.example", children: [text("https://auto.example")] },
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
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](ftp://example.com)",
    "[x](/c/relative)",
    "[x](//evil.example)",
    "<javascript:alert(1)>",
    "<data:text/html,x>",
    "<ftp://example.com>",
  ])("no link for %j", (source) => {
    const found = JSON.stringify(parseMessage(source));
    expect(found).not.toContain('"type":"link"');
  });

  it("keeps a refused Markdown link's text as it was typed", () => {
    expect(inlines("[x](ftp://example.com)")).toEqual([text("[x](ftp://example.com)")]);
    expect(inlines("[x](javascript:alert(1))")).toEqual([text("[x](javascript:alert(1))")]);
  });
});

describe("parseMessage: mention tokens", () => {
  it("reads people, channels, @channel and @here", () => {
    expect(inlines(`hi <@${USER}> in <#${CHANNEL}>, <!channel> <!here>`)).toEqual([
      text("hi "),
      { type: "mention", mention: { kind: "user", id: USER } },
      text(" in "),
      { type: "mention", mention: { kind: "channel", id: CHANNEL } },
      text(", "),
      { type: "mention", mention: { kind: "everyone", scope: "channel" } },
      text(" "),
      { type: "mention", mention: { kind: "everyone", scope: "here" } },
    ]);
  });

  it("reads tokens inside formatting", () => {
    expect(inlines(`**<@${USER}>**`)).toEqual([
      { type: "strong", children: [{ type: "mention", mention: { kind: "user", id: USER } }] },
    ]);
  });

  it.each([
    `\`<@${USER}>\``,
    `<@${USER.slice(0, -1)}>`,
    `<@${USER}x>`,
    `<@"><img src=x onerror=alert(1)>`,
    "<@everyone>",
    "<!everyone>",
    `<@ ${USER}>`,
  ])("%j is not a mention", (source) => {
    expect(JSON.stringify(parseMessage(source))).not.toContain('"type":"mention"');
  });

  it("keeps tokens in a code block literal", () => {
    expect(parseMessage(`\`\`\`\n<@${USER}> <!here>\n\`\`\``)).toEqual([
      { type: "codeBlock", lang: "", text: `<@${USER}> <!here>\n` },
    ]);
  });
});

describe("parseMessage: hostile shapes", () => {
  it("caps nesting instead of recursing without end", () => {
    const deep = `${">".repeat(5000)} x\n${"- ".repeat(2000)}y\n${"*".repeat(3000)}z${"*".repeat(3000)}`;
    expect(() => parseMessage(deep)).not.toThrow();
  });

  it("parses nothing from empty text", () => {
    expect(parseMessage("")).toEqual([]);
  });
});
