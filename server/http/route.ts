import type { ErrorCode } from "@/lib/protocol";
import { requireUser } from "@/server/auth/current-user";
import type { SessionUser } from "@/server/auth/sessions";
import { AppError, toWireError } from "@/server/errors";
import { runUserRead } from "@/server/rate-limit/user-reads";
import { userWrites } from "@/server/rate-limit/user-writes";
import { isAllowedOrigin, requestScheme } from "./origin";

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

const MAX_BODY_BYTES = 64 * 1024;
const JSON_TYPE = "application/json";

/** A body that is JSON already (built by the database): sent as it is, not parsed and serialized again. */
export class JsonText {
  constructor(readonly text: string | Uint8Array<ArrayBuffer>) {}
}

type Context<P> = { params: Promise<P> };
type Args<P> = { request: Request; params: P };

/**
 * Wraps a route handler: checks the origin of writes, turns the result into
 * JSON (unless it is a Response already) and any error into `{ error: { code, message } }` with its status.
 */
export function publicRoute<P = Record<string, never>>(
  handler: (args: Args<P>) => Promise<unknown>,
  options: { status?: number } = {},
) {
  return async (request: Request, context: Context<P>): Promise<Response> => {
    try {
      if (request.method !== "GET" && !isAllowedOrigin(request.headers.get("origin"), siteOf(request))) {
        throw new AppError("forbidden", "Requests from this origin are not allowed");
      }
      const result = await handler({ request, params: await context.params });
      if (result === undefined) return new Response(null, { status: 204 });
      // Bytes that are not JSON (an image), with headers of their own.
      if (result instanceof Response) return result;
      if (result instanceof JsonText) {
        return new Response(result.text, { status: options.status ?? 200, headers: { "content-type": JSON_TYPE } });
      }
      return Response.json(result, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function siteOf(request: Request) {
  const encrypted = new URL(request.url).protocol === "https:";
  return {
    host: request.headers.get("host"),
    scheme: requestScheme(request.headers.get("x-forwarded-proto"), encrypted),
  };
}

/**
 * `{ error: { code, message } }` with the code's status, and Retry-After when the caller is rate limited.
 * Never kept by a cache, even from a route whose answers may be (a preview image that is not there yet).
 */
export function errorResponse(error: unknown): Response {
  const wire = toWireError(error);
  const retry: Record<string, string> = wire.retryAfterSeconds ? { "retry-after": String(wire.retryAfterSeconds) } : {};
  return Response.json(
    { error: wire },
    { status: statusByCode[wire.code], headers: { "cache-control": "no-store", ...retry } },
  );
}

/**
 * Like publicRoute, for signed-in callers only. Their reads share the person's
 * in-flight bound with their socket reads, and their writes the person's write limit.
 */
export function userRoute<P = Record<string, never>>(
  handler: (args: Args<P> & { user: SessionUser }) => Promise<unknown>,
  options: { status?: number } = {},
) {
  return publicRoute<P>(async (args) => {
    const user = await requireUser(args.request.headers.get("cookie"));
    if (args.request.method === "GET") return runUserRead(user.id, () => handler({ ...args, user }));
    await userWrites().consume(user.id);
    return handler({ ...args, user });
  }, options);
}

/** The request's JSON body, refused when it is too large or not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  if (!request.headers.get("content-type")?.includes("application/json")) {
    throw new AppError("bad_request", "Send a JSON body with Content-Type: application/json");
  }
  const text = await readText(request);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON");
  }
}

/** Reads the body, stopping as soon as it passes the limit rather than buffering all of it. */
export async function readText(request: Request): Promise<string> {
  const tooLarge = new AppError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function searchParams(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
