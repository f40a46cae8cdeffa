import { parse } from "cookie";
import { decode } from "next-auth/jwt";
import { getConfig } from "@/server/config";
import { AppError } from "@/server/errors";
import { userForSession, type SessionUser } from "./sessions";

function sessionCookieName(): string {
  return getConfig().secureCookies ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * Who is asking over HTTP: the next-auth cookie names a session row, which
 * must still exist. Socket handshakes take the session the same way and then
 * socketUserForSession, which also loads the user's conversations.
 */
export async function userFromCookieHeader(cookieHeader: string | null | undefined): Promise<SessionUser | null> {
  const token = await tokenFromCookieHeader(cookieHeader);
  return token ? userForSession(token.sessionId) : null;
}

/** What a session token says: the session it names, and when the token itself expires. */
export type SessionToken = { sessionId: string; expiresMs: number };

/**
 * The session a cookie names, before asking whether it is still live (userForSession,
 * socketUserForSession); null when there is no valid, unexpired token.
 */
export async function tokenFromCookieHeader(cookieHeader: string | null | undefined): Promise<SessionToken | null> {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader)[sessionCookieName()];
  return token ? decodeToken(token) : null;
}

/**
 * Decoding derives a key with HKDF and decrypts, about 0.13 ms of CPU a token:
 * in a reconnect storm that was a sixth of the server's time. What a token
 * says depends only on the token and the secret, so each is decoded once;
 * whether its session is still live is asked of the database every time.
 */
const decodedTokens = new Map<string, SessionToken>();
const DECODED_TOKENS_KEPT = 50_000;

async function decodeToken(token: string): Promise<SessionToken | null> {
  let decoded = decodedTokens.get(token);
  if (!decoded) {
    const payload = await decode({ token, secret: getConfig().authSecret }).catch(() => null);
    const sid = payload?.sid;
    // Tokens that fail are not kept: anyone can send those, as many as they like.
    if (typeof sid !== "string") return null;
    decoded = { sessionId: sid, expiresMs: Number(payload?.exp ?? 0) * 1000 };
    // Oldest first: a Map iterates in insertion order.
    if (decodedTokens.size >= DECODED_TOKENS_KEPT) decodedTokens.delete(decodedTokens.keys().next().value!);
    decodedTokens.set(token, decoded);
  }
  return decoded.expiresMs > Date.now() ? decoded : null;
}

export async function requireUser(cookieHeader: string | null | undefined): Promise<SessionUser> {
  const user = await userFromCookieHeader(cookieHeader);
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return user;
}
