import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresForPlanTests } from "../helpers/plan-database";
import { createScratchDatabase } from "../helpers/server";

const base = postgresForPlanTests("database connection");
const ANSWER_WITHIN_MS = 5_000;

/** "answered" once the statement succeeded or failed, "unanswered" if neither happened in time. */
async function answeredInTime(statement: Promise<unknown>): Promise<"answered" | "unanswered"> {
  let timer: NodeJS.Timeout | undefined;
  const unanswered = new Promise<"unanswered">((resolve) => {
    timer = setTimeout(() => resolve("unanswered"), ANSWER_WITHIN_MS);
  });
  const answered = statement.then(
    () => "answered" as const,
    () => "answered" as const,
  );
  return Promise.race([answered, unanswered]).finally(() => clearTimeout(timer));
}

/**
 * The inserts' connection (server/db/client.ts) pipelines statements on one postgres.js connection.
 * When PostgreSQL terminates it, statements written after the socket's error and before its close
 * must still be answered: unpatched, each later statement waited forever (patches/postgres+3.4.9.patch).
 */
describe.skipIf(!base)("a postgres.js connection whose backend is terminated", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let pipelined: postgres.Sql;
  let admin: postgres.Sql;

  beforeAll(async () => {
    scratch = await createScratchDatabase(base!);
    pipelined = postgres(scratch.url, { max: 1, onnotice: () => {}, backoff: () => 0.05 });
    admin = postgres(scratch.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await Promise.all([pipelined?.end({ timeout: 1 }), admin?.end({ timeout: 1 })]);
    await scratch?.drop();
  });

  const select = (i: number) => pipelined.unsafe("select $1::int as i", [i], { prepare: true });

  it("answers every statement sent after the drop, and then runs statements again", async () => {
    for (let round = 1; round <= 20; round++) {
      await Promise.allSettled([select(1), select(2)]);
      await admin`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`;
      const duringDrop = await Promise.all([select(3), select(4)].map(answeredInTime));
      const afterDrop = await answeredInTime(select(5));
      expect({ round, duringDrop, afterDrop }).toEqual({
        round,
        duringDrop: ["answered", "answered"],
        afterDrop: "answered",
      });
    }
    // pg_terminate_backend only signals the backend: the last one may die while this statement runs.
    const again = await select(6).catch(() => select(7));
    expect(again).toHaveLength(1);
  });
});
