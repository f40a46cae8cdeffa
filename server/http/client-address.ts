import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * Set by the custom server on every request, after deleting any copy the
 * client sent: Next's route handlers do not see the socket, and a header a
 * client can write must never decide whose rate limit a request spends.
 */
export const CLIENT_ADDRESS_HEADER = "x-parley-client-ip";

/** "10.0.0.1", "10.0.0.0/8", "::1" or "fd00::/8". */
export function isAddressOrRange(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/**
 * The address a request came from: the socket's peer, or, when that peer is a
 * trusted proxy, the rightmost X-Forwarded-For hop that is not one (hops to its
 * left were written by whoever the untrusted client was, and prove nothing).
 */
export function clientAddress(req: IncomingMessage, trusted: BlockList): string {
  const peer = normalize(req.socket.remoteAddress ?? "");
  if (!isTrusted(peer, trusted)) return peer;
  const forwarded = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? ""))
    .split(",")
    .map((hop) => normalize(hop.trim()))
    .filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return hops[0] ?? peer;
}

/** Replaces whatever the client sent in CLIENT_ADDRESS_HEADER with the address it really came from. */
export function stampClientAddress(req: IncomingMessage, trusted: BlockList): void {
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req, trusted);
}

/** In a route handler: the address the custom server stamped on the request. */
export function clientAddressOf(headers: Headers | Record<string, unknown>): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers[CLIENT_ADDRESS_HEADER];
  return typeof value === "string" && value ? value : "unknown";
}

// An IPv4 peer on a dual-stack socket shows as ::ffff:1.2.3.4; a list names it 1.2.3.4.
function normalize(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? "ipv6" : "ipv4");
}
