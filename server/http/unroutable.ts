import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "@/lib/protocol";

/** The methods some Parley route answers; Next answered the others (TRACE, CONNECT…) with 500. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Refuses, before Next sees them, requests that Next would fail on with a 500:
 * a method no route has, a target that is not a path, and a path that is not
 * valid percent-encoding (Next throws URIError decoding its parameters).
 * Returns true when it answered.
 */
export function refuseUnroutable(req: IncomingMessage, res: ServerResponse): boolean {
  if (!METHODS.has(req.method ?? "")) {
    reply(res, 405, "method_not_allowed", `${req.method} is not allowed`, { allow: [...METHODS].join(", ") });
    return true;
  }
  const path = (req.url ?? "/").split("?")[0]!;
  // "*" (OPTIONS *) and absolute-form targets (GET http://elsewhere/): Next failed on the first and
  // redirected the second to the other host.
  if (!path.startsWith("/")) {
    reply(res, 400, "bad_request", "Ask for a path on this server");
    return true;
  }
  try {
    decodeURIComponent(path);
  } catch {
    reply(res, 400, "bad_request", "The address holds a malformed percent-encoding");
    return true;
  }
  return false;
}

function reply(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: { code, message } }));
}
