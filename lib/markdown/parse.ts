import MarkdownIt, { type MarkdownIt as Markdown, type Token } from "markdown-it";
import type { Block, Inline, ListItem, Mention } from "./ast";
import { mentionPlugin } from "./mention-rule";
import { isSafeHref } from "./safe-href";

// Not part of the chat subset: shown as the person typed them. Indented code is off too, so that
// indentation in a pasted paragraph does not turn it into a code block; entities stay as typed.
const NOT_IN_SUBSET = [
  "heading",
  "lheading",
  "table",
  "hr",
  "image",
  "html_block",
  "html_inline",
  "reference",
  "code",
  "entity",
];

/**
 * A markdown-it for Parley's subset. The server's scan of where mentions and links are leaves out
 * emphasis and strike, which only wrap text and cannot move either: a crafted 16 kB message of `*a`
 * cost the full parse 18 ms on every send, the scan under 1 ms.
 */
function markdown({ emphasis }: { emphasis: boolean }): Markdown {
  // html: false keeps any markup the person typed as text; the token tree below is all that is ever
  // rendered, and it has no node that could carry HTML.
  const md = new MarkdownIt("default", { html: false, linkify: true, breaks: true, typographer: false });
  md.set({ maxNesting: 20 });
  md.disable(NOT_IN_SUBSET);
  if (!emphasis) md.disable(["emphasis", "strikethrough", "balance_pairs", "fragments_join"]);
  // Today's rule for bare links: full http(s) URLs and emails only, no fuzzy "example.com".
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: true }).add("ftp:", null).add("//", null);
  md.use(mentionPlugin);
  // A quote holds only the lines typed with ">": the line after it is no lazy continuation, as in chat apps.
  // Registered for the blockquote's terminator chain only, where it is asked (silently) of each such line.
  md.block.ruler.before("blockquote", "quote_ends_without_marker", (_state, _start, _end, silent) => silent, {
    alt: ["blockquote"],
  });
  return md;
}

let rendering: Markdown | undefined;
let scanning: Markdown | undefined;

/** Parses message text into Parley's Markdown subset. */
export function parseMessage(text: string): Block[] {
  rendering ??= markdown({ emphasis: true });
  return new Blocks(rendering.parse(text, {})).read(null);
}

/** Parses message text as far as where its mentions and links are: the blocks hold no emphasis or strike. */
export function scanMessage(text: string): Block[] {
  scanning ??= markdown({ emphasis: false });
  return new Blocks(scanning.parse(text, {})).read(null);
}

class Blocks {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Reads blocks until the closing token `until` (consumed), or to the end. */
  read(until: string | null): Block[] {
    const blocks: Block[] = [];
    while (this.at < this.tokens.length) {
      const token = this.tokens[this.at++]!;
      if (token.type === until) break;
      const block = this.block(token);
      if (block) blocks.push(block);
    }
    return blocks;
  }

  private block(token: Token): Block | null {
    switch (token.type) {
      case "paragraph_open": {
        const inline = this.tokens[this.at++]!;
        this.at++; // paragraph_close
        return { type: "paragraph", children: inlines(inline.children ?? []) };
      }
      case "fence":
        return { type: "codeBlock", lang: token.info.trim().split(/\s+/)[0] ?? "", text: token.content };
      case "blockquote_open":
        return { type: "quote", children: this.read("blockquote_close") };
      case "bullet_list_open":
      case "ordered_list_open": {
        const ordered = token.type === "ordered_list_open";
        const start = Number(token.attrGet("start") ?? 1);
        return {
          type: "list",
          ordered,
          start,
          items: this.items(ordered ? "ordered_list_close" : "bullet_list_close"),
        };
      }
      default:
        return null;
    }
  }

  private items(close: string): ListItem[] {
    const items: ListItem[] = [];
    while (this.at < this.tokens.length) {
      const token = this.tokens[this.at++]!;
      if (token.type === close) break;
      if (token.type !== "list_item_open") continue;
      const tight = this.tokens[this.at]?.hidden === true;
      items.push({ children: this.read("list_item_close"), tight });
    }
    return items;
  }
}

type Frame = { close: string; node: Inline & { children: Inline[] }; open: Token };

/** Builds the inline tree; a link Parley does not allow falls back to the text that was typed. */
function inlines(tokens: Token[]): Inline[] {
  const root: Inline[] = [];
  const stack: Frame[] = [];
  const out = () => stack.at(-1)?.node.children ?? root;
  const open = (token: Token, node: Frame["node"], close: string) => stack.push({ close, node, open: token });
  for (const token of tokens) {
    const top = stack.at(-1);
    if (top && token.type === top.close) {
      stack.pop();
      for (const node of closed(top)) pushInline(out(), node);
      continue;
    }
    switch (token.type) {
      case "code_inline":
        pushInline(out(), { type: "code", text: token.content });
        break;
      case "softbreak":
      case "hardbreak":
        pushInline(out(), { type: "break" });
        break;
      case "mention":
        pushInline(out(), { type: "mention", mention: (token.meta as { mention: Mention }).mention });
        break;
      case "strong_open":
        open(token, { type: "strong", children: [] }, "strong_close");
        break;
      case "em_open":
        open(token, { type: "em", children: [] }, "em_close");
        break;
      case "s_open":
        open(token, { type: "strike", children: [] }, "s_close");
        break;
      case "link_open":
        open(token, { type: "link", href: String(token.attrGet("href") ?? ""), children: [] }, "link_close");
        break;
      default:
        pushInline(out(), { type: "text", text: token.content });
    }
  }
  // markdown-it balances its tokens; should one ever stay open, its content still shows.
  for (let top = stack.pop(); top; top = stack.pop()) for (const node of closed(top)) pushInline(out(), node);
  return root;
}

function closed({ node, open }: Frame): Inline[] {
  if (node.type !== "link" || isSafeHref(node.href)) return [node];
  // Autolinks and bare URLs show their own text; a [text](url) link shows what was typed, as text.
  if (open.markup === "autolink" || open.markup === "linkify") return node.children;
  return [{ type: "text", text: "[" }, ...node.children, { type: "text", text: `](${node.href})` }];
}

/** Adjacent text runs merge into one, as typed. */
function pushInline(out: Inline[], node: Inline): void {
  const last = out.at(-1);
  if (node.type !== "text") out.push(node);
  else if (!node.text) return;
  else if (last?.type === "text") out[out.length - 1] = { type: "text", text: last.text + node.text };
  else out.push(node);
}
