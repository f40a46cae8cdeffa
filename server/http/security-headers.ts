import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

type Options = { dev: boolean; https: boolean };

/**
 * Puts Parley's security headers on the response to req, before anything
 * (health probes, Socket.IO's polling, Next) writes it. Next's app router reads
 * the nonce of its own scripts from the request's Content-Security-Policy, so
 * the policy goes on the request too, replacing any copy the client sent.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, options: Options): void {
  const policy = contentSecurityPolicy(randomBytes(16).toString("base64"), req.headers.host, options.dev);
  req.headers["content-security-policy"] = policy;
  res.setHeader("content-security-policy", policy);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "strict-origin-when-cross-origin");
  res.setHeader("permissions-policy", PERMISSIONS_POLICY);
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  if (options.https) res.setHeader("strict-transport-security", "max-age=63072000; includeSubDomains");
  // API answers carry people's messages and names: no cache, shared or private, keeps them. Preview images
  // are the exception: named by their content, they say how long they may be kept themselves.
  const image = req.method === "GET" && req.url?.startsWith(PREVIEW_IMAGES);
  if (req.url?.startsWith("/api/") && !image) res.setHeader("cache-control", "no-store");
}

const PREVIEW_IMAGES = "/api/link-previews/images/";

const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "midi=()",
  "display-capture=()",
].join(", ");

export function contentSecurityPolicy(nonce: string, host: string | undefined, dev: boolean): string {
  // 'self' covers ws: and wss: of the same host only in newer browsers: Socket.IO's origin is named too.
  const sockets = host && /^[\w.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next's nonced scripts load are trusted through them.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React and react-virtuoso render style attributes.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
