import type { Block, Inline } from "./ast";
import { parseMessage } from "./parse";

/**
 * The first web link of a message as it renders (a Markdown link or a bare
 * URL; never one inside code, never mailto): the one its preview is for.
 */
export function firstWebLink(text: string): string | null {
  // Most messages have no link: skip the parse for them. The render's own parse, not the scan that
  // mentions use: where emphasis is matched splits the text that bare URLs are found in, so a URL that
  // touches `_` or `*` can end elsewhere without it. Previews are fetched off the message path.
  if (!/https?:\/\//i.test(text)) return null;
  return firstWebLinkIn(parseMessage(text));
}

/** The first http(s) link in parsed blocks, in reading order. */
function firstWebLinkIn(blocks: readonly Block[]): string | null {
  const inInline = (node: Inline): string | null => {
    if (node.type === "link" && /^https?:\/\//i.test(node.href)) return node.href;
    if ("children" in node) for (const child of node.children) if (inInline(child)) return inInline(child);
    return null;
  };
  const inBlock = (block: Block): string | null => {
    const children =
      block.type === "paragraph"
        ? block.children.map(inInline)
        : block.type === "quote"
          ? block.children.map(inBlock)
          : block.type === "list"
            ? block.items.flatMap((item) => item.children.map(inBlock))
            : [];
    return children.find((link) => link !== null) ?? null;
  };
  for (const block of blocks) {
    const link = inBlock(block);
    if (link) return link;
  }
  return null;
}
