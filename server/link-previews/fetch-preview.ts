import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { IncomingMessage } from "node:http";
import type { LinkPreview } from "@/lib/protocol";
import { isPublicAddress } from "./address-policy";
import { LinkPreviewError } from "./errors";
import { pinnedGet } from "./pinned-get";
import { readHead } from "./read-head";
import { resolverLookup } from "./resolver-lookup";
import { checkedUrl, resolveTarget, type LookupAll } from "./target";

export type FetchPreviewOptions = {
  /** DNS; every address it answers is checked with `isAllowedAddress`. */
  lookup?: LookupAll;
  /** Which addresses a fetch may connect to; public internet addresses only, unless a test says otherwise. */
  isAllowedAddress?: (address: string) => boolean;
  /** For the whole fetch: every lookup, connection, redirect and the reading of the page. */
  timeoutMs?: number;
  /** How much HTML is read at most; the tags a preview needs are at the start. */
  maxBytes?: number;
  signal?: AbortSignal;
};

export const PREVIEW_TIMEOUT_MS = 5_000;
export const PREVIEW_MAX_BYTES = 512 * 1024;
export const PREVIEW_MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const systemLookup = resolverLookup();

/**
 * Fetches a link's page and reads its preview. Null when the page has none
 * (not HTML, no title, an error status); LinkPreviewError when the link may
 * not or could not be fetched. Only public addresses are ever connected to,
 * each hop of a redirect checked anew.
 */
export async function fetchPreview(url: string, options: FetchPreviewOptions = {}): Promise<LinkPreview | null> {
  const timeoutMs = options.timeoutMs ?? PREVIEW_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    // The race also ends the wait for an injected lookup that ignores the signal.
    return await Promise.race([follow(checkedUrl(url), options, signal), aborted(signal)]);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.signal.aborted) throw new LinkPreviewError("timeout", `The page took longer than ${timeoutMs} ms`);
    if (error instanceof LinkPreviewError) throw error;
    throw new LinkPreviewError("fetch_failed", `The page could not be read: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function follow(start: URL, options: FetchPreviewOptions, signal: AbortSignal): Promise<LinkPreview | null> {
  const lookup = options.lookup ?? systemLookup;
  const isAllowedAddress = options.isAllowedAddress ?? isPublicAddress;
  let url = start;
  for (let redirects = 0; ; redirects++) {
    // A lookup that answers after the time limit must not start a connection.
    signal.throwIfAborted();
    const addresses = await resolveTarget(url, lookup, isAllowedAddress, signal);
    const response = await pinnedGet(url, addresses, signal);
    try {
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location) {
        return await previewOf(url, response, options.maxBytes ?? PREVIEW_MAX_BYTES, isAllowedAddress);
      }
      if (redirects === PREVIEW_MAX_REDIRECTS) {
        throw new LinkPreviewError("too_many_redirects", `The link redirects more than ${PREVIEW_MAX_REDIRECTS} times`);
      }
      url = checkedUrl(URL.parse(location, url)?.href ?? location);
    } finally {
      response.destroy();
    }
  }
}

async function previewOf(
  url: URL,
  response: IncomingMessage,
  maxBytes: number,
  isAllowedAddress: (address: string) => boolean,
): Promise<LinkPreview | null> {
  const status = response.statusCode ?? 0;
  const [mediaType, ...parameters] = (response.headers["content-type"] ?? "").split(";");
  if (status < 200 || status > 299 || mediaType?.trim().toLowerCase() !== "text/html") return null;
  const body = decoded(response);
  if (!body) return null;
  const charset = parameters.map((parameter) => /^\s*charset\s*=\s*"?([^"\s]+)"?/i.exec(parameter)?.[1]).find(Boolean);
  return (await readHead(body, charset ?? null, maxBytes)).preview(url, isAllowedAddress);
}

/** The body as HTML bytes, or null for a content coding Parley did not ask for and cannot undo. */
function decoded(response: IncomingMessage): Readable | null {
  const coding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (coding === "identity") return response;
  const decompress = { gzip: createGunzip, "x-gzip": createGunzip, deflate: createInflate, br: createBrotliDecompress }[
    coding
  ];
  // Errors reach the reader: pipeline destroys the last stream with them.
  return decompress ? pipeline(response, decompress(), () => {}) : null;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
