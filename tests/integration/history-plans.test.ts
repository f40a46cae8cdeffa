import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config";
import { openDatabase } from "@/server/db/client";
import { NEWEST_PAGES } from "@/server/messages/list-messages";
import { createScratchDatabase } from "../helpers/server";

const base = process.env.TEST_DATABASE_URL;
if (!base && process.env.CI) {
  throw new Error("The history-plan tests need PostgreSQL, but TEST_DATABASE_URL is not set. Never skipped in CI.");
}

/**
 * A generic plan costs the history statement for ten pages of a tenth of a
 * large channel each, which is past PostgreSQL's jit_above_cost: with JIT on,
 * every page was compiled anew (10 ms at p50 in S5 instead of 0.4 ms). Here the
 * database's threshold is 0, so that a small channel stands in for a large one.
 */
describe.skipIf(!base)("the history statement, costed like a large channel", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let sql: postgres.Sql;
  let args: string[][];

  beforeAll(async () => {
    scratch = await createScratchDatabase(base!);
    const migrated = await openDatabase(loadConfig({ DATABASE_URL: scratch.url, AUTH_SECRET: "x".repeat(32) }));
    await migrated.close();
    sql = postgres(scratch.url, { max: 1, onnotice: () => {}, connection: { plan_cache_mode: "force_generic_plan" } });
    const [user] =
      await sql`insert into users (email, name, password_hash) values ('a@example.com', 'A', 'x') returning id`;
    const [conversation] = await sql`insert into conversations (kind, name) values ('channel', 'big') returning id`;
    await sql`insert into conversation_members (conversation_id, user_id) values (${conversation!.id}, ${user!.id})`;
    await sql`insert into messages (conversation_id, seq, sender_id, client_message_id, text)
      select ${conversation!.id}, s, ${user!.id}, gen_random_uuid(), 'm' from generate_series(1, 300) s`;
    // Applies to every connection opened after it, the server's included.
    await sql.unsafe(`alter database "${new URL(scratch.url).pathname.slice(1)}" set jit_above_cost = 0`);
    args = [[conversation!.id as string], [user!.id as string], ["51"], [null as unknown as string]];
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await scratch?.drop();
  });

  const explain = `explain (analyze, format json) ${NEWEST_PAGES}`;
  const usesJit = (rows: unknown[]) => JSON.stringify(rows).includes('"JIT"');

  it("reads the newest page without compiling it on the server's connections", async () => {
    const opened = await openDatabase(loadConfig({ DATABASE_URL: scratch.url, AUTH_SECRET: "x".repeat(32) }));
    try {
      const rows = await opened.query<Record<string, unknown>>(explain, args);
      expect(JSON.stringify(rows)).toContain('"Actual Rows":51');
      expect(usesJit(rows)).toBe(false);
    } finally {
      await opened.close();
    }
  });

  it("would be compiled on a connection with PostgreSQL's defaults, where JIT is available", async () => {
    const fresh = postgres(scratch.url, { max: 1, onnotice: () => {} });
    try {
      const [{ available }] = (await fresh`select pg_jit_available() as available`) as unknown as [
        { available: boolean },
      ];
      const rows = await fresh.unsafe(explain, args, { prepare: true });
      expect(usesJit(rows)).toBe(available);
    } finally {
      await fresh.end({ timeout: 5 });
    }
  });
});
