import { Resolver } from "node:dns/promises";
import type { LookupAll, ResolvedAddress } from "./target";

/** How long one DNS query may wait for its answer, per try; the fetch has its own limit on top. */
const QUERY_TIMEOUT_MS = 2_000;

/**
 * Looks names up with c-ares, as `dns.resolve*` do, rather than with
 * getaddrinfo: that runs in libuv's pool of four threads, which Node shares
 * with file and crypto work, and a lookup the fetch gave up on would hold its
 * thread until the system's own timeout, so a few links to a slow name server
 * would stall the whole server. c-ares asks the name servers of
 * /etc/resolv.conf (or `servers`) itself and stops when the fetch does. It
 * does not read /etc/hosts, whose names are the machine's own business.
 */
export function resolverLookup(servers?: string[]): LookupAll {
  return async (hostname, signal) => {
    const resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: 2 });
    if (servers) resolver.setServers(servers);
    const cancel = () => resolver.cancel();
    signal.addEventListener("abort", cancel, { once: true });
    try {
      const [ipv4, ipv6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
      const addresses = [...answered(ipv4, 4), ...answered(ipv6, 6)];
      if (addresses.length > 0) return addresses;
      throw ipv4.status === "rejected" ? ipv4.reason : new Error(`${hostname} has no address`);
    } finally {
      signal.removeEventListener("abort", cancel);
    }
  };
}

function answered(result: PromiseSettledResult<string[]>, family: 4 | 6): ResolvedAddress[] {
  return result.status === "fulfilled" ? result.value.map((address) => ({ address, family })) : [];
}
