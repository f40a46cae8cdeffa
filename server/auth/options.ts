import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/server/config";
import { authenticate } from "./authenticate";
import { createSession, endSession, SESSION_MAX_AGE_SECONDS, userForSession } from "./sessions";

/**
 * next-auth's Credentials provider only works with JWT sessions, so the JWT
 * carries the id of a row in `sessions` (sid), and every request checks that
 * row: deleting it ends the session on the server.
 */
export function authOptions(): NextAuthOptions {
  const config = getConfig();
  return {
    secret: config.authSecret,
    useSecureCookies: config.secureCookies,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (credentials) => authenticate(credentials),
      }),
    ],
    // An ended session is routine, not an error worth a stack trace in the log.
    logger: {
      error(code, metadata) {
        if (code !== "JWT_SESSION_ERROR") console.error(code, metadata);
      },
    },
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sid = await createSession(user.id);
          return token;
        }
        // next-auth answers a throw here with an empty session and a cookie that clears the old one.
        const live = typeof token.sid === "string" ? await userForSession(token.sid) : null;
        if (!live) throw new Error("The session has ended");
        return token;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
  };
}
