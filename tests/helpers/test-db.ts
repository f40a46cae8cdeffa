import postgres from "postgres";
import type { TestServer } from "./server";

/**
 * A connection to a test server's PostgreSQL database, to check or change what
 * it holds behind its back; undefined on PGlite, where the server holds the
 * only connection.
 */
export function openTestSql(server: TestServer): postgres.Sql | undefined {
  return server.databaseUrl ? postgres(server.databaseUrl, { max: 1, onnotice: () => {} }) : undefined;
}

/** How many conversations exist, and how many member rows: what a refused request must leave as it was. */
export async function conversationCounts(sql: postgres.Sql): Promise<{ conversations: number; members: number }> {
  const [row] = await sql<{ conversations: number; members: number }[]>`
    select (select count(*)::int from conversations) as conversations,
           (select count(*)::int from conversation_members) as members`;
  return row!;
}

/** The member rows of one conversation, counted: what its member_count must say. */
export async function countedMembers(sql: postgres.Sql, conversationId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from conversation_members where conversation_id = ${conversationId}`;
  return row!.n;
}

export async function deactivate(sql: postgres.Sql, userId: string): Promise<void> {
  await sql`update users set deactivated_at = now() where id = ${userId}`;
}
