import ipaddr from "ipaddr.js";
import { isIP } from "node:net";

/** Where the well-known NAT64 prefix puts an IPv4 address: its last 32 bits (RFC 6052). */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
/** Every IPv6 address assigned for use on the internet is in this block; the rest is special or unassigned. */
const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");

/**
 * True when an address is one the public internet routes, so a link preview
 * may connect to it. ipaddr.js names every special-purpose range (loopback,
 * private, link-local with the cloud metadata service, carrier-grade NAT,
 * multicast, documentation, benchmarking, reserved, 6to4, Teredo...) and
 * calls the rest "unicast". An IPv6 address that carries an IPv4 address
 * (IPv4-mapped, or NAT64 behind DNS64 on an IPv6-only network) reaches that
 * IPv4 address, so it is judged as that address.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  // isIP takes only the strict forms; ipaddr.js alone would read "1.2.3" as 1.2.0.3.
  if (family === 4) return ipaddr.IPv4.parse(address).range() === "unicast";
  if (family !== 6) return false;
  // ipaddr.js reads any dotted tail as IPv4-mapped ("::8.8.8.8" as ::ffff:8.8.8.8): judge the canonical hex form.
  const canonical = URL.parse(`http://[${address}]/`)?.hostname.slice(1, -1);
  if (!canonical) return false;
  const ipv6 = ipaddr.IPv6.parse(canonical);
  if (ipv6.isIPv4MappedAddress()) return isPublicAddress(ipv6.toIPv4Address().toString());
  if (ipv6.match(NAT64_WELL_KNOWN)) return isPublicAddress(embeddedIPv4(ipv6).toString());
  return ipv6.match(GLOBAL_UNICAST) && ipv6.range() === "unicast";
}

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return ipaddr.fromByteArray(bytes.slice(12)) as ipaddr.IPv4;
}

/** Names that lead inside whoever runs Parley, whatever a resolver answers for them. */
const INTERNAL_NAMES = new Set(["localhost", "metadata.goog"]);
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".corp"];

/**
 * A host name (not an IP literal) refused before any lookup: localhost, cloud
 * metadata names (metadata.google.internal, AWS's instance-data), the suffixes
 * of local and private networks, and single labels, which a resolver completes
 * with the machine's own search domains. The address check is what keeps a
 * fetch out; this only refuses early what can only be internal.
 */
export function isInternalHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (INTERNAL_NAMES.has(name) || !name.includes(".")) return true;
  return INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix));
}
