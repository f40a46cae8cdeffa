import net from "node:net";
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
  it("connects again after a statement written in the turn its socket closed", async () => {
    // The batched inserts start their statement from setImmediate: when that runs in the turn in which
    // the socket ended, the write is still queued as the socket closes. Unpatched, the queued write
    // stayed behind and kept the next connection's startup message from going out: every statement
    // waited for the connect timeout (30 s), again and again.
    let socket: net.Socket | undefined;
    const { hostname, port } = new URL(scratch.url);
    // postgres.js opens its socket with this function when given one (its types leave the option out).
    const openSocket = () =>
      new Promise<net.Socket>((resolve, reject) => {
        socket = net.connect(Number(port || 5432), hostname, () => resolve(socket!));
        socket.once("error", reject);
      });
    const options = { max: 1, onnotice: () => {}, backoff: () => 0.05, socket: openSocket };
    const sql = postgres(scratch.url, options);
    try {
      const [own] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const inClosingTurn = new Promise<"answered" | "unanswered">((resolve) =>
        socket!.once("end", () => setImmediate(() => void answeredInTime(sql`select 1`).then(resolve))),
      );
      await admin`select pg_terminate_backend(${own!.pid})`;
      expect(await inClosingTurn).toBe("answered");
      expect(await answeredInTime(sql`select 2`)).toBe("answered");
      expect(await sql`select 3 as x`).toEqual([{ x: 3 }]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
  it("runs the first statement after a drop that cut one short, rather than failing it with the old error", async () => {
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {}, backoff: () => 0.05 });
    try {
      const [own] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const cutShort = sql`select pg_sleep(5)`.catch((error: { code?: string }) => error.code);
      await admin`select pg_sleep(0.2)`;
      await admin`select pg_terminate_backend(${own!.pid})`;
      expect(await cutShort).toBe("CONNECTION_CLOSED");
      // Unpatched, the backend's farewell (57P01) outlived its connection and failed this statement.
      expect(await sql`select 1 as x`).toEqual([{ x: 1 }]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
