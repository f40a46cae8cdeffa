import type { Handler } from "htmlparser2";
import { isIP } from "node:net";
import {
  MAX_PREVIEW_DESCRIPTION_LENGTH,
  MAX_PREVIEW_SITE_NAME_LENGTH,
  MAX_PREVIEW_TITLE_LENGTH,
  MAX_PREVIEW_URL_LENGTH,
  type LinkPreview,
} from "@/lib/protocol";
import { isInternalHostname, isPublicAddress } from "./address-policy";
import { socketHost } from "./target";

type Field = "title" | "description" | "image" | "siteName";

/** Meta tags by field, best first: Open Graph, then Twitter cards, then plain HTML. */
const META_KEYS: Record<string, { field: Field; rank: number }> = {
  "og:title": { field: "title", rank: 0 },
  "twitter:title": { field: "title", rank: 1 },
  "og:description": { field: "description", rank: 0 },
  "twitter:description": { field: "description", rank: 1 },
  description: { field: "description", rank: 2 },
  "og:image": { field: "image", rank: 0 },
  "og:image:url": { field: "image", rank: 0 },
  "og:image:secure_url": { field: "image", rank: 0 },
  "twitter:image": { field: "image", rank: 1 },
  "twitter:image:src": { field: "image", rank: 1 },
  "og:site_name": { field: "siteName", rank: 0 },
};
/** The `<title>` element ranks after the title meta tags. */
const TITLE_ELEMENT_RANK = 2;

/**
 * Collects a page's preview as htmlparser2 reads it, entities decoded. What
 * matters is in the head, so the reader may stop once `finished` says the
 * body has begun.
 */
export class PageMetadata implements Partial<Handler> {
  finished = false;
  private readonly found = new Map<Field, { rank: number; value: string }>();
  private titleText: string | null = null;

  // The parser goes on to the end of the chunk it was given: what follows the head's end is ignored here.
  onopentag(name: string, attributes: Record<string, string>): void {
    if (this.finished) return;
    if (name === "body") this.finished = true;
    else if (name === "title" && !this.found.has("title")) this.titleText = "";
    else if (name === "meta") this.meta(attributes);
  }

  ontext(text: string): void {
    if (this.titleText !== null) this.titleText += text;
  }

  onclosetag(name: string): void {
    if (this.finished) return;
    if (name === "head") this.finished = true;
    else if (name === "title") this.endTitle();
  }

  /** A page cut off inside its `<title>` keeps what it had of it. */
  onend(): void {
    this.endTitle();
  }

  /** `isAllowedAddress` judges an image host given as an IP address, as the fetch's own hosts are. */
  preview(pageUrl: URL, isAllowedAddress = isPublicAddress): LinkPreview | null {
    this.endTitle();
    const title = cleanText(this.found.get("title")?.value, MAX_PREVIEW_TITLE_LENGTH);
    if (!title) return null;
    return {
      url: pageUrl.href,
      title,
      description: cleanText(this.found.get("description")?.value, MAX_PREVIEW_DESCRIPTION_LENGTH),
      imageUrl: imageUrl(this.found.get("image")?.value, pageUrl, isAllowedAddress),
      siteName: cleanText(this.found.get("siteName")?.value, MAX_PREVIEW_SITE_NAME_LENGTH),
      image: null,
    };
  }

  private meta(attributes: Record<string, string>): void {
    // Pages put Open Graph keys in `name` as often as in `property`, and other vocabularies in either.
    const keys = [attributes.property, attributes.name].map((key) => key?.trim().toLowerCase());
    const known = keys.map((key) => (key ? META_KEYS[key] : undefined)).find(Boolean);
    if (known && attributes.content?.trim()) this.offer(known.field, known.rank, attributes.content);
  }

  private endTitle(): void {
    if (this.titleText === null) return;
    if (this.titleText.trim()) this.offer("title", TITLE_ELEMENT_RANK, this.titleText);
    this.titleText = null;
  }

  private offer(field: Field, rank: number, value: string): void {
    const current = this.found.get(field);
    if (!current || rank < current.rank) this.found.set(field, { rank, value });
  }
}

/**
 * One line of well-formed text that PostgreSQL can store: control characters
 * and runs of white space become one space, a lone surrogate U+FFFD, and text
 * longer than `max` ends in an ellipsis.
 */
function cleanText(text: string | undefined, max: number): string | null {
  if (text === undefined) return null;
  const line = text
    .toWellFormed()
    .replace(/[\p{Cc}\s]+/gu, " ")
    .trim();
  if (!line) return null;
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  // Not half of a surrogate pair at the cut.
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/**
 * An image URL as the page meant it, relative to the page; only http(s),
 * without credentials, and not on a host that is internal by its very name or
 * address: whoever loads it later (a browser, an image proxy) would otherwise
 * be sent into their own network by any page.
 */
function imageUrl(
  reference: string | undefined,
  pageUrl: URL,
  isAllowedAddress: (address: string) => boolean,
): string | null {
  const url = reference === undefined ? null : URL.parse(reference.trim(), pageUrl);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return null;
  if (url.username || url.password || url.href.length > MAX_PREVIEW_URL_LENGTH) return null;
  const host = socketHost(url);
  const internal = isIP(host) ? !isAllowedAddress(host) : isInternalHostname(host);
  return internal ? null : url.href;
}
