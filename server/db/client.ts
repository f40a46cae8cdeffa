import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "@/drizzle/schema";
import type { Config } from "@/server/config";
import { acquirePidLock } from "./pid-lock";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /**
   * Runs one SQL statement with $1.. parameters as a prepared statement, for the hot paths
   * (sending, history). Drizzle prepares only statements built with .prepare(name), and
   * planning a statement on every call costs PostgreSQL more than running it.
   */
  query: <T>(text: string, params: unknown[]) => Promise<T[]>;
  /**
   * Like query, on one connection kept for it: statements run and commit in the order they were
   * sent, and each is sent without waiting for the answer to the one before (pipelining).
   */
  pipelined: <T>(text: string, params: unknown[]) => Promise<T[]>;
  /**
   * Like query, for a statement that answers one row of text values (JSON that PostgreSQL built): each
   * column's bytes as they came, never made into a string. The sidebar's 250 KB strings were each
   * allocated straight into V8's old generation, and the full collections they brought on every second
   * paused the process for 30 to 90 ms (S9).
   */
  textRow: (text: string, params: unknown[]) => Promise<Buffer<ArrayBuffer>[]>;
  ping: () => Promise<void>;
  close: () => Promise<void>;
};

const migrationsFolder = path.resolve("drizzle/migrations");
// Any fixed number works; it only has to be the same in every Parley process.
const MIGRATION_LOCK_ID = 727_431_001;

const globalKey = Symbol.for("parley.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Database };

/**
 * The process-wide database. It lives on globalThis because Next's bundled
 * route handlers are a separate module instance from the custom server that
 * opens it.
 */
export function db(): Db {
  const database = (globalThis as GlobalWithDb)[globalKey];
  if (!database) throw new Error("The database is not open yet");
  return database.db;
}

export function database(): Database {
  const database = (globalThis as GlobalWithDb)[globalKey];
  if (!database) throw new Error("The database is not open yet");
  return database;
}

/** Opens the database named by the configuration, applies migrations and installs it process-wide. */
export async function openDatabase(config: Config): Promise<Database> {
  const opened = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDir);
  (globalThis as GlobalWithDb)[globalKey] = opened;
  return opened;
}

async function openPostgres(url: string): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Several processes may boot at once: the advisory lock lets one migrate while the others wait.
  // A one-connection client keeps lock and migration in one session, and ending it releases the
  // lock even when the migration fails.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(migrator, { schema }), { migrationsFolder });
  } finally {
    await migrator.end({ timeout: 5 });
  }
  // Every hot statement is written to have one good plan whatever its parameters (an index lookup per
  // key). Left to choose, PostgreSQL compares a generic plan costed for ten array elements with a custom
  // plan for the real count, and re-planned the batch insert on every batch: 0.5 to 1 ms, more than
  // running it. An ANALYZE still replaces a generic plan made on stale statistics.
  // No JIT: these are index lookups of well under a millisecond, yet a generic plan costs a history page
  // for ten pages of a tenth of a large channel each, past jit_above_cost, and JIT compiled it anew on
  // every execution: 10.2 ms at p50 for the newest page of a 1,000,000-message channel (S5), 0.91 ms without.
  const options = {
    onnotice: () => {},
    connection: { plan_cache_mode: "force_generic_plan", jit: "off" },
    backoff: reconnectDelaySeconds,
  };
  const sql = postgres(url, { ...options, max: 10 });
  // One connection of its own: a busy postgres.js connection takes the next statement at once
  // (pipelining), and PostgreSQL runs one connection's statements in the order they came.
  const ordered = postgres(url, { ...options, max: 1 });
  const run =
    (client: ReturnType<typeof postgres>) =>
    async <T>(text: string, params: unknown[]) =>
      (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
  return {
    db: drizzle(sql, { schema }) as unknown as Db,
    kind: "postgres",
    query: run(sql),
    pipelined: run(ordered),
    textRow: async (text, params) => {
      const [row] = await sql.unsafe(text, params as never[], { prepare: true }).raw();
      if (!row || !row.every((value) => value instanceof Uint8Array)) throw new Error("The statement answered no text");
      return row.map((value) => Buffer.from(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength));
    },
    ping: async () => {
      await sql`select 1`;
    },
    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), ordered.end({ timeout: 5 })]);
    },
  };
}

/**
 * How long a connection that failed waits before connecting again, by how many failed in a row.
 * postgres.js counts failures across the whole pool and waits 3^n / 100 s, up to 20 s: when PostgreSQL
 * drops all ten of a pool's connections at once (a restart), the next statement waited 10 to 20 s, and a
 * message sent meanwhile timed out. Doubling from 50 ms to at most 2 s, each a random point in the upper
 * half, reconnects within 2 s and still spreads the processes out.
 */
function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 2);
}

async function openPglite(dataDir: string): Promise<Database> {
  const releaseLock = acquirePidLock(dataDir);
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await PGlite.create(path.join(dataDir, "pglite"));
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  // PGlite runs one statement at a time in this process anyway: in order, with nothing to pipeline.
  const query = async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows;
  return {
    db: db as unknown as Db,
    kind: "pglite",
    query,
    pipelined: query,
    textRow: async (text, params) => {
      const [row] = (await client.query<unknown[]>(text, params, { rowMode: "array" })).rows;
      if (!row || !row.every((value) => typeof value === "string")) throw new Error("The statement answered no text");
      return row.map((value) => Buffer.from(value as string));
    },
    ping: async () => {
      await client.query("select 1");
    },
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}
