import { linkifyit } from "linkify-it";

export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

// Only full http(s) URLs and email addresses: bare "example.com" stays text, and schemes that
// could run code or open other apps (javascript:, data:, ftp:, protocol-relative //) never link.
const linkify = linkifyit({ fuzzyLink: false, fuzzyEmail: true }).add("ftp:", null).add("//", null);
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

/** Splits message text into plain runs and links, in order; joined, the parts give back the text. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of linkify.match(text) ?? []) {
    if (!SAFE_HREF.test(match.url)) continue;
    if (match.index > at) parts.push({ kind: "text", text: text.slice(at, match.index) });
    parts.push({ kind: "link", text: match.raw, href: match.url });
    at = match.lastIndex;
  }
  if (at < text.length) parts.push({ kind: "text", text: text.slice(at) });
  return parts;
}
