import { isIP } from "node:net";
import { MAX_PREVIEW_URL_LENGTH } from "@/lib/protocol";
import { isInternalHostname } from "./address-policy";
import { LinkPreviewError } from "./errors";

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Every address a name resolves to; injectable so that tests can answer with any address. */
export type LookupAll = (hostname: string, signal: AbortSignal) => Promise<ResolvedAddress[]>;

/** Parses a link and refuses what a preview never fetches: other schemes, credentials, giant URLs. */
export function checkedUrl(raw: string): URL {
  // Measured as written and as parsed: percent-encoding can make a URL several times longer.
  const url = raw.length > MAX_PREVIEW_URL_LENGTH ? null : URL.parse(raw);
  if (!url || url.href.length > MAX_PREVIEW_URL_LENGTH) {
    throw new LinkPreviewError(
      "unsupported_url",
      `Links of more than ${MAX_PREVIEW_URL_LENGTH} characters get no preview`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LinkPreviewError("unsupported_url", "Only http and https links get a preview");
  }
  if (url.username || url.password) {
    throw new LinkPreviewError("unsupported_url", "Links with a user name or password get no preview");
  }
  return url;
}

/** The URL's host without the brackets of an IPv6 literal, as sockets take it. */
export function socketHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * The addresses a fetch of this URL may connect to: all that its host
 * resolves to, once, and only if every one of them is allowed. One bad
 * address refuses the host, since a resolver may hand out any of them.
 */
export async function resolveTarget(
  url: URL,
  lookup: LookupAll,
  isAllowedAddress: (address: string) => boolean,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const host = socketHost(url);
  const family = isIP(host);
  if (family === 0 && isInternalHostname(host)) {
    throw new LinkPreviewError("internal_host", `${host} is an internal host name`);
  }
  const addresses = family === 0 ? await resolve(host, lookup, signal) : [{ address: host, family: family as 4 | 6 }];
  const refused = addresses.find(({ address }) => !isAllowedAddress(address));
  if (refused) {
    throw new LinkPreviewError("private_address", `${host} leads to ${refused.address}, which is not a public address`);
  }
  return addresses;
}

async function resolve(host: string, lookup: LookupAll, signal: AbortSignal): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await lookup(host, signal);
  } catch {
    throw new LinkPreviewError("unresolvable_host", `${host} could not be resolved`);
  }
  if (addresses.length === 0) throw new LinkPreviewError("unresolvable_host", `${host} could not be resolved`);
  return addresses;
}
