import { getConfig } from "@/server/config";

/**
 * Browsers send Origin on cross-site requests and on every WebSocket upgrade,
 * and cookies go along. A request whose Origin is neither this site (the
 * request's own scheme, host and port) nor a configured one is refused, so
 * another site cannot act with a user's cookie (cross-site WebSocket
 * hijacking, CSRF). Origins compare exactly: scheme, host and port. Clients
 * that send no Origin are not browsers and carry no ambient cookie risk.
 */
export function isAllowedOrigin(
  origin: string | null | undefined,
  site: { host: string | null | undefined; scheme: "http" | "https" },
): boolean {
  if (!origin) return true;
  const asked = originOf(origin);
  if (!asked) return false;
  if (site.host && asked === originOf(`${site.scheme}://${site.host}`)) return true;
  const config = getConfig();
  const configured = [...config.allowedOrigins, ...(config.publicUrl ? [config.publicUrl] : [])];
  return configured.some((allowed) => originOf(allowed) === asked);
}

/**
 * The scheme the browser used. Behind a TLS-terminating proxy the connection
 * is plain HTTP and the proxy says https in X-Forwarded-Proto. Trusting the
 * header here is safe: it only decides which Origin counts as this site, and
 * the page that sends a cross-site request cannot set it.
 */
export function requestScheme(
  forwardedProto: string | string[] | null | undefined,
  encrypted: boolean,
): "http" | "https" {
  const proto = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(",")[0]?.trim();
  return proto === "https" || (proto === undefined && encrypted) ? "https" : "http";
}

/** scheme://host:port with the default port left out, or null when it is not an http(s) origin. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}
