import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import type { ErrorBody } from "@/lib/protocol";
import { AppError } from "@/server/errors";
import { clientAddressOf } from "@/server/http/client-address";
import { errorResponse, readText } from "@/server/http/route";
import { refundSignInAttempt, spendSignInAttempt, type Attempt } from "./attempt-limits";
import { authOptions } from "./options";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's route handler, behind what it does not check itself: its POSTs
 * take a small form body only (it answered 500 to JSON and to 10 MB), a
 * credentials sign-in spends the caller's attempts first, and whatever it
 * throws becomes a `{ error: { code, message } }` answer.
 */
export async function nextAuthRoute(request: Request, context: Context): Promise<Response> {
  try {
    if (request.method !== "POST") return await runNextAuth(request, context);
    if (!request.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded")) {
      throw new AppError("bad_request", "Send a form body with Content-Type: application/x-www-form-urlencoded");
    }
    const body = await readText(request);
    checkUrlEncoding(body);
    const attempt = signInAttempt(request, body);
    if (attempt) await spendSignInAttempt(attempt);
    const response = await runNextAuth(
      new NextRequest(request.url, { method: "POST", headers: request.headers, body }),
      context,
    );
    if (attempt && setsSessionCookie(response)) await refundSignInAttempt(attempt);
    return response;
  } catch (error) {
    return await refusal(request, error);
  }
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

function signInAttempt(request: Request, body: string): Attempt | null {
  if (!new URL(request.url).pathname.endsWith("/callback/credentials")) return null;
  const email = new URLSearchParams(body).get("email") ?? "";
  return { email, address: clientAddressOf(request.headers) };
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
  const url = new URL("/api/auth/error", request.url);
  url.searchParams.set("error", body.error.message);
  return Response.json({ ...body, url: url.toString() }, { status: response.status, headers: response.headers });
}
