import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Block, Inline } from "@/lib/markdown/ast";
import { parseMessage } from "@/lib/markdown/parse";
import { MarkdownView, type MentionLookup } from "@/components/chat/markdown-view";
import { xssAllowlist } from "../fixtures/xss-allowlist";
import { xssPayloads } from "../fixtures/xss-corpus";

const lookup: MentionLookup = { userName: () => "Ann", channelName: () => "general", readerId: undefined };
const ALLOWED_TAGS = new Set(xssAllowlist.tags);
const ALLOWED_ATTRIBUTES = new Set([...xssAllowlist.attributes, "data-mention", "data-mentions-me", "data-language"]);
const SAFE_HREF = new RegExp(xssAllowlist.safeHref, "i");

function hrefs(blocks: readonly Block[]): string[] {
  const inline = (n: Inline): string[] =>
    n.type === "link" ? [n.href, ...n.children.flatMap(inline)] : "children" in n ? n.children.flatMap(inline) : [];
  return blocks.flatMap((b) =>
    b.type === "paragraph"
      ? b.children.flatMap(inline)
      : b.type === "quote"
        ? hrefs(b.children)
        : b.type === "list"
          ? b.items.flatMap((item) => hrefs(item.children))
          : [],
  );
}

// The same checks as e2e/xss-corpus.spec.ts, on the server-rendered markup: fast, and it names the payload.
describe("the XSS corpus through the renderer", () => {
  const payloads = xssPayloads();

  it("holds at least 500 payloads", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(500);
  });

  it.each(payloads.map((p, i) => [i + 1, p] as const))("payload %i renders only allowed markup", (_, payload) => {
    const blocks = parseMessage(payload);
    for (const href of hrefs(blocks)) expect(href).toMatch(/^(?:https?:\/\/|mailto:)/i);
    const html = renderToStaticMarkup(createElement(MarkdownView, { blocks, lookup, shortcodes: null }));
    for (const [, tag, attributes] of html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)) {
      expect(ALLOWED_TAGS, `<${tag}> in ${html}`).toContain(tag!.toLowerCase());
      for (const [, name, value] of attributes!.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)) {
        expect(ALLOWED_ATTRIBUTES, `${name} in ${html}`).toContain(name!.toLowerCase());
        if (name === "href") expect(value).toMatch(SAFE_HREF);
      }
    }
  });
});
