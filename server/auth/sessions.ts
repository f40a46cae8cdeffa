import { eq } from "drizzle-orm";
import { z } from "zod";
import { sessions } from "@/drizzle/schema";
import { batched } from "@/server/db/batched";
import { database, db } from "@/server/db/client";
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

type SessionRow = { session_id: string; id: string; name: string; email: string; role: SessionUser["role"] };

const liveSessions = (moreColumns = "") => `
  select s.id::text as session_id, u.id::text as id, u.name, u.email, u.role${moreColumns}
  from sessions s join users u on u.id = s.user_id
  where s.id = any($1::uuid[]) and s.expires_at > now() and u.deactivated_at is null`;

function sessionLoader<R extends SessionRow, U>(statement: string, toUser: (row: R) => U) {
  return batched(async (sessionIds: readonly string[]) => {
    const rows = await database().query<R>(statement, [sessionIds]);
    const bySession = new Map(rows.map((row) => [row.session_id, toUser(row)]));
    return sessionIds.map((id) => bySession.get(id) ?? null);
  });
}

const toSessionUser = ({ session_id, id, name, email, role }: SessionRow): SessionUser => ({
  id,
  name,
  email,
  role,
  sessionId: session_id,
});

const loadSessionUser = sessionLoader(liveSessions(), toSessionUser);

export type SocketUser = {
  user: SessionUser;
  conversationIds: string[];
  /** When the session row expires, in milliseconds since the epoch. */
  expiresMs: number;
};

// The conversation ids ride along in the same round trip: a socket needs them to join its rooms.
const loadSocketUser = sessionLoader(
  liveSessions(`, array(select cm.conversation_id::text from conversation_members cm where cm.user_id = u.id)
    as conversation_ids, (extract(epoch from s.expires_at) * 1000)::float8 as expires_ms`),
  (row: SessionRow & { conversation_ids: string[]; expires_ms: number }): SocketUser => ({
    user: toSessionUser(row),
    conversationIds: row.conversation_ids,
    expiresMs: row.expires_ms,
  }),
);

// A key that is not a UUID would fail the whole batch it shares with others. Built once: building a
// zod schema costs more than using it, and this runs on every handshake (1.5% of the server's time in S7).
const uuid = z.uuid();
const isUuid = (id: string) => uuid.safeParse(id).success;

/** The user behind a live session, or null when it was ended, expired or the user is deactivated. */
export async function userForSession(sessionId: string): Promise<SessionUser | null> {
  return isUuid(sessionId) ? loadSessionUser(sessionId) : null;
}

/** What a socket handshake needs in one query: the session's user, and the conversations whose rooms it joins. */
export async function socketUserForSession(sessionId: string): Promise<SocketUser | null> {
  return isUuid(sessionId) ? loadSocketUser(sessionId) : null;
}

// An array of a few thousand UUIDs is one index scan; chunks keep a statement's parameter bounded.
const ENDED_SESSIONS_CHUNK = 5_000;

/**
 * The same rule as liveSessions, turned round: of these sessions, the ones no longer live (ended,
 * expired, or their user deactivated). A process asks it for all its sockets every few seconds, and
 * almost always gets no row back: asking for the live ones instead allocated a row per socket each
 * time, which held S1's memory per connection at 19 KiB against 12 without the check.
 */
const endedSessionsStatement = `
  select ids.id::text as session_id from unnest($1::uuid[]) as ids(id)
  where not exists (
    select 1 from sessions s join users u on u.id = s.user_id
    where s.id = ids.id and s.expires_at > now() and u.deactivated_at is null)`;

/**
 * Which of these sessions have ended: one statement per chunk, not a batched lookup per session,
 * because a process asks this for all its sockets at once. Every id must be a UUID (those of
 * connected sockets are: their handshake checked).
 */
export async function endedSessions(sessionIds: readonly string[]): Promise<Set<string>> {
  const ended = new Set<string>();
  for (let i = 0; i < sessionIds.length; i += ENDED_SESSIONS_CHUNK) {
    const chunk = sessionIds.slice(i, i + ENDED_SESSIONS_CHUNK);
    const rows = await database().query<{ session_id: string }>(endedSessionsStatement, [chunk]);
    for (const row of rows) ended.add(row.session_id);
  }
  return ended;
}
