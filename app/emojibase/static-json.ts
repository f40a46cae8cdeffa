import { createHash } from "node:crypto";

/**
 * A JSON response with an ETag of its content: the picker (frimousse) keeps the data in localStorage and asks
 * once a session, with a HEAD, whether it changed, refetching the whole file whenever there is no ETag.
 */
export function staticJson(value: unknown): Response {
  const body = JSON.stringify(value);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return new Response(body, { headers: { "content-type": "application/json", etag } });
}
