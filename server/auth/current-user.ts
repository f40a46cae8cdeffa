import { parse } from "cookie";
import { decode } from "next-auth/jwt";
import { getConfig } from "@/server/config";
import { AppError } from "@/server/errors";
import { userForSession, type SessionUser } from "./sessions";

export function sessionCookieName(): string {
  return getConfig().secureCookies ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * The one way both transports find who is asking: the next-auth cookie names a
 * session row, which must still exist.
 */
export async function userFromCookieHeader(cookieHeader: string | null | undefined): Promise<SessionUser | null> {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader)[sessionCookieName()];
  if (!token) return null;
  const payload = await decode({ token, secret: getConfig().authSecret }).catch(() => null);
  const sessionId = payload?.sid;
  if (typeof sessionId !== "string") return null;
  return userForSession(sessionId);
}

export async function requireUser(cookieHeader: string | null | undefined): Promise<SessionUser> {
  const user = await userFromCookieHeader(cookieHeader);
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return user;
}
