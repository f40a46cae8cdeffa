import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEWEST_PAGES } from "@/server/messages/list-messages";
import { createPlanDatabase, postgresForPlanTests, type PlanDatabase } from "../helpers/plan-database";

const base = postgresForPlanTests("history-plan");

/**
 * A generic plan costs the history statement for ten pages of a tenth of a
 * large channel each, which is past PostgreSQL's jit_above_cost: with JIT on,
 * every page was compiled anew (10.2 ms at p50 in S5 instead of 0.91 ms). Here the
 * database's threshold is 0, so that a small channel stands in for a large one.
 */
describe.skipIf(!base)("the history statement, costed like a large channel", () => {
  let db: PlanDatabase;
  let args: string[][];

  beforeAll(async () => {
    db = await createPlanDatabase(base!);
    // Applies to every connection opened after it, the server's included.
    await db.sql.unsafe(`alter database "${new URL(db.url).pathname.slice(1)}" set jit_above_cost = 0`);
    args = [[db.ids.conversation], [db.ids.user], ["51"], [null as unknown as string]];
  });

  afterAll(async () => {
    await db?.close();
  });

  const explain = `explain (analyze, format json) ${NEWEST_PAGES}`;
  const usesJit = (rows: unknown[]) => JSON.stringify(rows).includes('"JIT"');

  it("reads the newest page without compiling it on the server's connections", async () => {
    const opened = await db.openServerDatabase();
    try {
      const rows = await opened.query<Record<string, unknown>>(explain, args);
      expect(JSON.stringify(rows)).toContain('"Actual Rows":51');
      expect(usesJit(rows)).toBe(false);
    } finally {
      await opened.close();
    }
  });

  it("would be compiled on a connection with PostgreSQL's defaults, where JIT is available", async () => {
    const fresh = postgres(db.url, { max: 1, onnotice: () => {} });
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
