import postgres from "postgres";
import { loadConfig } from "@/server/config";
import { openDatabase } from "@/server/db/client";
import { createScratchDatabase } from "./server";

/** TEST_DATABASE_URL, for suites that only make sense on PostgreSQL: they skip without it, except in CI. */
export function postgresForPlanTests(suite: string): string | undefined {
  const base = process.env.TEST_DATABASE_URL;
  if (!base && process.env.CI) {
    throw new Error(`The ${suite} tests need PostgreSQL, but TEST_DATABASE_URL is not set. Never skipped in CI.`);
  }
  return base;
}

export type PlanDatabase = {
  url: string;
  /** A plain connection, as PostgreSQL's defaults leave it. */
  sql: postgres.Sql;
  ids: { user: string; conversation: string };
  /** The pool the server uses, with its connection settings. */
  openServerDatabase: () => ReturnType<typeof openDatabase>;
  close: () => Promise<void>;
};

/**
 * A migrated scratch database holding one member of one channel with 300
 * messages, and no statistics: the young database on which a plan made once
 * and kept can go wrong.
 */
export async function createPlanDatabase(base: string): Promise<PlanDatabase> {
  const scratch = await createScratchDatabase(base);
  const config = loadConfig({ DATABASE_URL: scratch.url, AUTH_SECRET: "x".repeat(32) });
  const migrated = await openDatabase(config);
  await migrated.close();
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  const [user] =
    await sql`insert into users (email, name, password_hash) values ('a@example.com', 'A', 'x') returning id`;
  const [conversation] = await sql`insert into conversations (kind, name) values ('channel', 'plans') returning id`;
  await sql`insert into conversation_members (conversation_id, user_id) values (${conversation!.id}, ${user!.id})`;
  await sql`insert into messages (conversation_id, seq, sender_id, client_message_id, text)
    select ${conversation!.id}, s, ${user!.id}, gen_random_uuid(), 'm' from generate_series(1, 300) s`;
  await sql`update conversations set last_seq = 300 where id = ${conversation!.id}`;
  return {
    url: scratch.url,
    sql,
    ids: { user: user!.id as string, conversation: conversation!.id as string },
    openServerDatabase: () => openDatabase(config),
    close: async () => {
      await sql.end({ timeout: 5 });
      await scratch.drop();
    },
  };
}
