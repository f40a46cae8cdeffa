import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import type { ErrorBody } from "@/lib/protocol";
import { getConfig } from "@/server/config";
import { AppError } from "@/server/errors";
import { clientAddressOf } from "@/server/http/client-address";
import { requestScheme } from "@/server/http/origin";
import { errorResponse, readText } from "@/server/http/route";
import { refundSignInAttempt, spendSignInAttempt } from "./attempt-limits";
import { authOptions } from "./options";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * The actions Parley's pages post to. next-auth also takes a POST to session
 * (updating it from the client, which Parley never does), answering one
 * without its CSRF token with a 400 whose body was "[object Object]", and to
 * _log, which let anyone print errors into the server's log.
 */
const POST_ACTIONS = new Set(["signin", "callback", "signout"]);

/**
 * next-auth's route handler, behind what it does not check itself: its POSTs
 * take a small form body only (it answered 500 to JSON and to 10 MB), a
 * credentials sign-in spends the caller's attempts first, and whatever it
 * throws becomes a `{ error: { code, message } }` answer.
 */
export async function nextAuthRoute(request: Request, context: Context): Promise<Response> {
  try {
    // next-auth takes its action and provider from the first two path segments, whatever follows.
    const [action, provider] = (await context.params).nextauth;
    if (request.method !== "POST") {
      if (action === "callback" && provider === "credentials") {
        throw new AppError("method_not_allowed", "Sign in with a POST of the sign-in form");
      }
      return await runNextAuth(request, context);
    }
    if (!POST_ACTIONS.has(action ?? "")) {
      throw new AppError("method_not_allowed", `POST is not allowed on ${action ?? "this address"}`);
    }
    const form = await readForm(request);
    const attempt =
      action === "callback" ? { email: form.get("email") ?? "", address: clientAddressOf(request.headers) } : null;
    if (attempt) await spendSignInAttempt(attempt);
    const response = await runNextAuth(
      new NextRequest(request.url, { method: "POST", headers: formHeaders(request.headers), body: form.toString() }),
      context,
    );
    if (attempt && setsSessionCookie(response)) await refundSignInAttempt(attempt);
    return response;
  } catch (error) {
    return await refusal(request, error);
  }
}

/**
 * next-auth reads a body as JSON whenever its content type mentions JSON
 * anywhere, and a form's repeated field by its last value: what it reads must
 * be what the limits above were spent on. So it gets a form, once parsed here,
 * with each field once and a plain content type.
 */
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;\s*charset="?utf-8"?\s*)?$/i;

async function readForm(request: Request): Promise<URLSearchParams> {
  if (!FORM_CONTENT_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("bad_request", "Send a form body with Content-Type: application/x-www-form-urlencoded");
  }
  const body = await readText(request);
  checkUrlEncoding(body);
  const form = new URLSearchParams(body);
  const names = [...form.keys()];
  if (new Set(names).size !== names.length) throw new AppError("bad_request", "Each form field may be sent once");
  return form;
}

function formHeaders(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.set("content-type", "application/x-www-form-urlencoded");
  copy.delete("content-length");
  return copy;
}

// Options are built per request because the secret is read when the server boots.
async function runNextAuth(request: Request, context: Context): Promise<Response> {
  return (await NextAuth(request as never, context as never, authOptions())) as Response;
}

function checkUrlEncoding(body: string): void {
  for (const pair of body.split("&")) {
    try {
      decodeURIComponent(pair.replaceAll("+", " "));
    } catch {
      throw new AppError("bad_request", "The form body is not valid URL encoding");
    }
  }
}

function setsSessionCookie(response: Response): boolean {
  return response.headers.getSetCookie().some((cookie) => /^(__Secure-)?next-auth\.session-token=[^;]/.test(cookie));
}

/**
 * next-auth's client reads the outcome of a sign-in from the `error` parameter
 * of `url` in the JSON, so the refusal carries one beside Parley's own body.
 */
async function refusal(request: Request, error: unknown): Promise<Response> {
  const response = errorResponse(error);
  const body = (await response.json()) as ErrorBody;
  const url = new URL("/api/auth/error", siteOrigin(request));
  url.searchParams.set("error", body.error.message);
  return Response.json({ ...body, url: url.toString() }, { status: response.status, headers: response.headers });
}

/** Where the browser reached Parley: PUBLIC_URL, or the request's own scheme and host. */
function siteOrigin(request: Request): string {
  const configured = getConfig().publicUrl;
  if (configured) return configured;
  const encrypted = new URL(request.url).protocol === "https:";
  const scheme = requestScheme(request.headers.get("x-forwarded-proto"), encrypted);
  return `${scheme}://${request.headers.get("host") ?? new URL(request.url).host}`;
}
