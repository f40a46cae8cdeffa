import type { IncomingMessage } from "node:http";
import { isPublicAddress } from "./address-policy";
import { LinkPreviewError } from "./errors";
import { pinnedGet } from "./pinned-get";
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

/** Reads what a fetch found, at the address it ended at after redirects. */
export type ReadResponse<T> = (url: URL, response: IncomingMessage) => Promise<T>;

export const PREVIEW_TIMEOUT_MS = 5_000;
export const PREVIEW_MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const systemLookup = resolverLookup();

/**
 * GETs a link for a preview (its page, or the image the page names) and reads
 * the answer with `read`. Only public addresses are ever connected to, each
 * hop of a redirect checked anew, within one time limit for all of it; no
 * cookie or credential is ever sent. LinkPreviewError when the link may not or
 * could not be fetched.
 */
export async function fetchPublic<T>(url: string, options: FetchPreviewOptions, read: ReadResponse<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? PREVIEW_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    // The race also ends the wait for an injected lookup that ignores the signal.
    return await Promise.race([follow(checkedUrl(url), options, signal, read), aborted(signal)]);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.signal.aborted) throw new LinkPreviewError("timeout", `The page took longer than ${timeoutMs} ms`);
    if (error instanceof LinkPreviewError) throw error;
    throw new LinkPreviewError("fetch_failed", `The page could not be read: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The addresses a fetch with these options may connect to. */
export function allowedAddresses(options: FetchPreviewOptions): (address: string) => boolean {
  return options.isAllowedAddress ?? isPublicAddress;
}

async function follow<T>(start: URL, options: FetchPreviewOptions, signal: AbortSignal, read: ReadResponse<T>) {
  const lookup = options.lookup ?? systemLookup;
  const isAllowedAddress = allowedAddresses(options);
  let url = start;
  for (let redirects = 0; ; redirects++) {
    // A lookup that answers after the time limit must not start a connection.
    signal.throwIfAborted();
    const addresses = await resolveTarget(url, lookup, isAllowedAddress, signal);
    const response = await pinnedGet(url, addresses, signal);
    try {
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return await read(url, response);
      if (redirects === PREVIEW_MAX_REDIRECTS) {
        throw new LinkPreviewError("too_many_redirects", `The link redirects more than ${PREVIEW_MAX_REDIRECTS} times`);
      }
      url = checkedUrl(URL.parse(location, url)?.href ?? location);
    } finally {
      response.destroy();
    }
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
