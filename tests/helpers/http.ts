import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { z } from "zod";
import { userSchema, wireErrorSchema, type ErrorCode, type User, type WireError } from "@/lib/protocol";

export type ApiResponse = { status: number; headers: Headers; body: unknown };
export type RequestOptions = {
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown;
  /** Sent as is; set the content type in headers. */
  body?: string;
  headers?: Record<string, string>;
};
export type Api = {
  get: (path: string, options?: RequestOptions) => Promise<ApiResponse>;
  post: (path: string, json?: unknown, options?: RequestOptions) => Promise<ApiResponse>;
  request: (method: string, path: string, options?: RequestOptions) => Promise<ApiResponse>;
};

/** fetch against one server as one caller (or anonymously); bodies come back parsed, as unknown. */
export function api(baseUrl: string, cookie?: string): Api {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...(cookie ? { cookie } : {}) };
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    Object.assign(headers, options.headers);
    const res = await fetch(new URL(path, baseUrl), { method, headers, body, redirect: "manual" });
    return { status: res.status, headers: res.headers, body: await readBody(res) };
  };
  return {
    request,
    get: (path, options) => request("GET", path, options),
    post: (path, json, options) => request("POST", path, { ...options, ...(json === undefined ? {} : { json }) }),
  };
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  if (!res.headers.get("content-type")?.includes("json")) return text;
  return JSON.parse(text) as unknown;
}

/** Asserts the status (showing the body when it differs) and returns the body parsed by schema. */
export function expectBody<S extends z.ZodType>(res: ApiResponse, status: number, schema: S): z.infer<S> {
  expect(res.status, `unexpected status; body: ${JSON.stringify(res.body)}`).toBe(status);
  return schema.parse(res.body);
}

const errorBodySchema = z.object({ error: wireErrorSchema });

/** Asserts an error response: its status and the `{ error: { code, message } }` body. */
export function expectError(res: ApiResponse, status: number, code: ErrorCode): WireError {
  const { error } = expectBody(res, status, errorBodySchema);
  expect(error.code).toBe(code);
  expect(error.message).not.toBe("");
  return error;
}

export function uniqueEmail(): string {
  return `user-${randomUUID().slice(0, 8)}@example.test`;
}

export type SignUpOptions = {
  name?: string;
  email?: string;
  password?: string;
  workspaceName?: string;
  /** Sent with the sign-up, e.g. an X-Forwarded-For that a server with TRUSTED_PROXIES believes. */
  headers?: Record<string, string>;
};
export type SignedInUser = { user: User; cookie: string; email: string; password: string };

/** Signs a new person up (naming the workspace if they are the first) and signs them in. */
export async function signUpAndSignIn(baseUrl: string, options: SignUpOptions = {}): Promise<SignedInUser> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? "correct horse battery";
  const res = await api(baseUrl).post(
    "/api/signup",
    {
      name: options.name ?? email.split("@")[0],
      email,
      password,
      // Ignored unless this is the first person.
      workspaceName: options.workspaceName ?? "Parley tests",
    },
    { headers: options.headers },
  );
  const { user } = expectBody(res, 201, z.object({ user: userSchema }));
  const cookie = await signIn(baseUrl, email, password);
  if (!cookie) throw new Error(`Signing in as ${email} gave no session cookie`);
  return { user, cookie, email, password };
}

const SESSION_COOKIE = "next-auth.session-token";

/** next-auth's credentials sign-in; resolves with a Cookie header holding the session, or null when refused. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string | null> {
  const csrf = await getCsrf(baseUrl);
  const res = await fetch(new URL("/api/auth/callback/credentials", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.cookie },
    body: new URLSearchParams({ csrfToken: csrf.token, email, password, json: "true" }),
    redirect: "manual",
  });
  await res.body?.cancel();
  const session = setCookies(res).find((c) => c.name === SESSION_COOKIE && c.value !== "");
  return session ? `${session.name}=${session.value}` : null;
}

/** next-auth's sign-out with the session in cookie; the response is next-auth's. */
export async function signOut(baseUrl: string, cookie: string): Promise<Response> {
  const csrf = await getCsrf(baseUrl);
  const res = await fetch(new URL("/api/auth/signout", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${cookie}; ${csrf.cookie}` },
    body: new URLSearchParams({ csrfToken: csrf.token, json: "true" }),
    redirect: "manual",
  });
  await res.body?.cancel();
  return res;
}

export async function getCsrf(baseUrl: string): Promise<{ token: string; cookie: string }> {
  const res = await fetch(new URL("/api/auth/csrf", baseUrl));
  const { csrfToken } = z.object({ csrfToken: z.string().min(1) }).parse(await res.json());
  const cookie = setCookies(res)
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  return { token: csrfToken, cookie };
}

function setCookies(res: Response): { name: string; value: string }[] {
  return res.headers.getSetCookie().map((header) => {
    const pair = header.split(";")[0] ?? "";
    const eq = pair.indexOf("=");
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
  });
}
