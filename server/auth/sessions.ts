import { and, eq, gt, isNull } from "drizzle-orm";
import { sessions, users } from "@/drizzle/schema";
import { db } from "@/server/db/client";
import { publish } from "@/server/events";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export type SessionUser = {
  id: string;
  name: string;
  email: string;
  role: "admin" | "member";
  sessionId: string;
  /** The socket a request came through, if any: the answer reaches it in the ack, not as an event. */
  socketId?: string;
};

export async function createSession(userId: string): Promise<string> {
  const [row] = await db()
    .insert(sessions)
    .values({ userId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) })
    .returning({ id: sessions.id });
  if (!row) throw new Error("Session insert returned nothing");
  return row.id;
}

/** Ends one session; its open sockets are disconnected too. */
export async function endSession(sessionId: string): Promise<void> {
  await db().delete(sessions).where(eq(sessions.id, sessionId));
  publish("session.ended", { sessionId });
}

/** The user behind a live session, or null when it was ended, expired or the user is deactivated. */
export async function userForSession(sessionId: string): Promise<SessionUser | null> {
  const [row] = await db()
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date()), isNull(users.deactivatedAt)))
    .limit(1);
  return row ? { ...row, sessionId } : null;
}
