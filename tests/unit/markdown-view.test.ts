import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import github from "emojibase-data/en/shortcodes/github.json";
import { describe, expect, it } from "vitest";
import { emojiOf, replaceShortcodes, shortcodeMap } from "@/lib/markdown/emoji";
import { parseMessage } from "@/lib/markdown/parse";
import { MarkdownView, type MentionLookup } from "@/components/chat/markdown-view";

const ANN = "0b6f1a52-9c1e-4d7a-8f3e-2a9b7c6d5e41";
const BO = "1c7a2b63-0d2f-4e8b-9a4f-3b0c8d7e6f52";
const GENERAL = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";
const GONE = "2e8b3c74-1e30-4f9c-8b50-4c1d9e8f7a63";

const lookup: MentionLookup = {
  userName: (id) => ({ [ANN]: "Ann", [BO]: "Bo" })[id],
  channelName: (id) => ({ [GENERAL]: "general" })[id],
  readerId: ANN,
};
const shortcodes = shortcodeMap({ "1F389": "tada", "1F44D": ["+1", "thumbsup"] });

function render(text: string): string {
  return renderToStaticMarkup(createElement(MarkdownView, { blocks: parseMessage(text), lookup, shortcodes }));
}

describe("MarkdownView", () => {
  it("renders the formatting as elements", () => {
    const html = render("**b** _i_ ~~s~~ `c`\nnext");
    expect(html).toMatch(/<strong>b<\/strong> <em>i<\/em> <s>s<\/s> <code[^>]*>c<\/code>\nnext/);
  });

  it("opens links in a new tab without access to the page", () => {
    expect(render("[docs](https://example.com/d)")).toContain(
      '<a href="https://example.com/d" target="_blank" rel="noopener noreferrer">docs</a>',
    );
  });

  it("renders a code block plain at first, in a focusable pre", () => {
    const html = render("```js\nif (a < b) alert(1)\n```");
    expect(html).toMatch(
      /<pre[^>]*tabindex="0"[^>]*data-language="javascript"[^>]*><code>if \(a &lt; b\) alert\(1\)\n<\/code><\/pre>/,
    );
  });

  it("renders lists and quotes", () => {
    expect(render("- a\n- b")).toMatch(/<ul[^>]*><li><span>a<\/span><\/li><li><span>b<\/span><\/li><\/ul>/);
    expect(render("2. x\n3. y")).toMatch(/<ol[^>]*start="2"[^>]*><li><span>x<\/span><\/li>/);
    expect(render("> said")).toMatch(/<blockquote[^>]*><p[^>]*>said<\/p><\/blockquote>/);
  });

  it("escapes markup the person typed", () => {
    const html = render('<img src=x onerror=alert(1)> <script>alert(1)</script> "quoted"');
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
  });

  it("names people and channels in chips, and marks the reader's own mentions", () => {
    const html = render(`<@${ANN}> <@${BO}> <#${GENERAL}> <!here> <!channel>`);
    expect(html).toMatch(/<span[^>]*data-mention="user"[^>]*data-mentions-me="true"[^>]*>@Ann<\/span>/);
    expect(html).toMatch(/<span[^>]*data-mention="user"(?![^>]*data-mentions-me)[^>]*>@Bo<\/span>/);
    expect(html).toMatch(
      /<a[^>]*data-mention="channel"[^>]*href="\/c\/7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f"[^>]*>#general<\/a>/,
    );
    expect(html).toMatch(/data-mention="everyone" data-mentions-me="true">@here</);
    expect(html).toMatch(/data-mention="everyone" data-mentions-me="true">@channel</);
  });

  it("renders unknown people and channels safely, without a link", () => {
    const html = render(`<@${GONE}> <#${GONE}>`);
    expect(html).toContain(">@unknown</span>");
    expect(html).toContain(">#unknown-channel</span>");
    expect(html).not.toContain("href");
  });

  it("keeps tokens in code literal", () => {
    expect(render(`\`<@${ANN}>\``)).toContain(`&lt;@${ANN}&gt;`);
  });

  it("replaces known emoji shortcodes outside code, and leaves unknown ones", () => {
    const html = render(":tada: :+1: :no_such_code: `:tada:`");
    expect(html).toContain(`${emojiOf("1F389")} ${emojiOf("1F44D")} :no_such_code: <code`);
    expect(html).toMatch(/<code[^>]*>:tada:<\/code>/);
  });
});

describe("emoji shortcodes", () => {
  it("adds the emoji variation selector to lone code points and keycaps", () => {
    expect(emojiOf("2764")).toBe("\u2764\uFE0F");
    expect(emojiOf("0023-20E3")).toBe("#\uFE0F\u20E3");
    expect(emojiOf("1F468-200D-1F4BB")).toBe("\u{1F468}\u200D\u{1F4BB}");
  });

  it("reads Emojibase's GitHub set, the one the app loads", () => {
    const all = shortcodeMap(github);
    expect(replaceShortcodes(":tada: :+1: :thumbsup: :heart:", all)).toBe(
      `${emojiOf("1F389")} ${emojiOf("1F44D")} ${emojiOf("1F44D")} \u2764\uFE0F`,
    );
  });

  it("leaves text without shortcodes as it is", () => {
    expect(replaceShortcodes("10:30 and 11:45", shortcodes)).toBe("10:30 and 11:45");
    expect(replaceShortcodes(":TADA: :tada::+1:", shortcodes)).toBe("\u{1F389}\uFE0F \u{1F389}\uFE0F\u{1F44D}\uFE0F");
  });
});
