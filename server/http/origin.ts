import { getConfig } from "@/server/config";

/**
 * Browsers send Origin on cross-site requests and on every WebSocket upgrade,
 * and cookies go along. A request whose Origin is neither this host nor a
 * configured one is refused, so another site cannot act with a user's cookie
 * (cross-site WebSocket hijacking, CSRF). Clients that send no Origin are not
 * browsers and carry no ambient cookie risk.
 */
export function isAllowedOrigin(origin: string | null | undefined, host: string | null | undefined): boolean {
  if (!origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host) return true;
  const config = getConfig();
  const allowed = [...config.allowedOrigins, ...(config.publicUrl ? [new URL(config.publicUrl).origin] : [])];
  return allowed.includes(parsed.origin);
}
