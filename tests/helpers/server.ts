import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * How long a server may take to print its ready line: enough for a rebuild when sources changed
 * mid-run, and less than the hook timeout so that the error with the server's output is what shows.
 */
const START_TIMEOUT_MS = 100_000;
/**
 * How long a server may take to stop on SIGTERM before it is killed. It takes about 0.2 s on a quiet
 * machine; once in CI (health.test.ts on PGlite, two test files at a time, 2026-12-08) one took over
 * 15 s, and the test saw the kill's exit rather than the server's own. A connection whose response
 * ended after the close began used to hold it for the keep-alive timeout (server/http/close-gracefully.ts);
 * whether that was the cause there is not known, so the wait is longer too.
 */
const STOP_TIMEOUT_MS = 30_000;
const OUTPUT_LIMIT = 20_000;

/**
 * Set by the integration tests' global setup (tests/helpers/global-setup.ts) to a database it migrated
 * once for the whole run: the name of a PostgreSQL database next to TEST_DATABASE_URL's, or a DATA_DIR
 * holding a PGlite database. Fresh databases start as copies of it, so that a server's boot finds its
 * migrations applied: creating and migrating a PGlite database took 7 of a server's 10 s to boot.
 * Unset (Playwright, the benchmarks), fresh databases start empty.
 */
export const TEMPLATE_DATABASE_ENV = "PARLEY_TEST_TEMPLATE_DATABASE";
export const TEMPLATE_DATA_DIR_ENV = "PARLEY_TEST_TEMPLATE_DATA_DIR";

export type ServerOptions = {
  /** Reuse this DATA_DIR; it is then left in place on close. Default: a fresh one from createDataDir. */
  dataDir?: string;
  /**
   * Use this PostgreSQL database; it is then left in place on close. Default: a scratch database
   * created off TEST_DATABASE_URL when that is set, otherwise PGlite in DATA_DIR.
   */
  databaseUrl?: string;
  /**
   * Start the default database (a scratch one, or PGlite in a fresh DATA_DIR) empty rather than as a copy
   * of the run's migrated template, so that the server creates and migrates it from scratch as on a new
   * install. No effect on a dataDir or databaseUrl given.
   */
  emptyDatabase?: boolean;
  /** Share it between processes that must accept each other's cookies. Default: a random one. */
  authSecret?: string;
  /** Fan out through the Redis in REDIS_URL. */
  redis?: boolean;
  /** More environment variables for the server, applied last (e.g. SESSION_CHECK_INTERVAL_MS). */
  env?: Record<string, string>;
};

export type TestServer = {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The server process, e.g. to read its memory from /proc/<pid>/status. */
  pid: number;
  dataDir: string;
  /** The PostgreSQL database in use, or undefined on PGlite. */
  databaseUrl: string | undefined;
  authSecret: string;
  /** Everything the process printed so far (the tail, when long). */
  output: () => string;
  /** SIGTERM, wait for the exit, then remove what this server created (temp dir, scratch database). */
  close: () => Promise<void>;
  /** Sends a signal and resolves with the exit code (null when the signal killed it). */
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/** A server process that printed something other than its ready line before it exited. */
export class ServerStartError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(`Parley exited with code ${exitCode} before listening. Output:\n${output}`);
    this.name = "ServerStartError";
  }
}

// A test file that crashes before close() must not leave servers behind.
const liveChildren = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveChildren) child.kill("SIGKILL");
});

/** Spawns `tsx server/start.ts` on an ephemeral port and resolves once it prints its ready line. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const redisUrl = options.redis ? process.env.REDIS_URL : undefined;
  if (options.redis && !redisUrl) throw new Error("startTestServer({ redis: true }) needs REDIS_URL");
  const ownsDataDir = options.dataDir === undefined;
  const empty = options.emptyDatabase ?? false;
  const scratch =
    options.databaseUrl === undefined && process.env.TEST_DATABASE_URL
      ? await createScratchDatabase(process.env.TEST_DATABASE_URL, { empty })
      : undefined;
  const databaseUrl = options.databaseUrl ?? scratch?.url;
  // On PostgreSQL the server keeps no database in DATA_DIR: nothing to copy there.
  const dataDir = options.dataDir ?? createDataDir({ empty: empty || databaseUrl !== undefined });
  const authSecret = options.authSecret ?? randomSecret();
  const cleanUp = async () => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  };

  const child = spawnServer({ dataDir, databaseUrl, authSecret, redisUrl, env: options.env ?? {} });
  const output = collectOutput(child);
  // "close", not "exit": it comes after the output streams are drained, so errors are complete.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  void exited.then(() => liveChildren.delete(child));

  let port: number;
  try {
    port = await waitForReadyLine(child, output, exited);
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    await cleanUp();
    throw error;
  }

  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dataDir,
    databaseUrl,
    authSecret,
    output: output.text,
    kill,
    close: () => {
      closed ??= kill("SIGTERM").then(cleanUp);
      return closed;
    },
  };
}

export type TestCluster = {
  servers: TestServer[];
  close: () => Promise<void>;
};

/**
 * Several processes sharing one scratch PostgreSQL database, Redis and AUTH_SECRET, so a
 * cookie from one is accepted by all and a socket on one hears emits made on another.
 * `env` goes to every process, as ServerOptions.env does. With `emptyDatabase`, the processes
 * boot at once on an empty database and so race to migrate it.
 */
export async function startCluster(
  size = 2,
  env: Record<string, string> = {},
  { emptyDatabase = false }: { emptyDatabase?: boolean } = {},
): Promise<TestCluster> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("startCluster needs TEST_DATABASE_URL");
  const scratch = await createScratchDatabase(base, { empty: emptyDatabase });
  const authSecret = randomSecret();
  const started = await Promise.allSettled(
    Array.from({ length: size }, () => startTestServer({ databaseUrl: scratch.url, authSecret, redis: true, env })),
  );
  const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const close = async () => {
    await Promise.all(servers.map((s) => s.close()));
    await scratch.drop();
  };
  const failure = started.find((s) => s.status === "rejected");
  if (failure) {
    await close();
    throw failure.reason;
  }
  return { servers, close };
}

/**
 * CREATE DATABASE parley_t_<random> next to the database in baseUrl: a copy of the run's migrated
 * template when there is one, unless `empty`; drop() removes it.
 */
export async function createScratchDatabase(
  baseUrl: string,
  { empty = false }: { empty?: boolean } = {},
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `parley_t_${randomBytes(6).toString("hex")}`;
  const template = empty ? undefined : process.env[TEMPLATE_DATABASE_ENV];
  // CREATE DATABASE always copies a template (template1 by default); copying the migrated one costs the same.
  await withAdminConnection(baseUrl, (sql) =>
    sql.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`),
  );
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop: () => {
      // WITH (FORCE) closes connections a killed server may have left behind.
      dropped ??= withAdminConnection(baseUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
      return dropped;
    },
  };
}

/**
 * A fresh temporary DATA_DIR for a server on PGlite: holding a copy of the run's migrated PGlite
 * database when there is one, unless `empty`; otherwise empty, for the server to create its database in.
 * Remove it when done.
 */
export function createDataDir({ empty = false }: { empty?: boolean } = {}): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-"));
  const template = empty ? undefined : process.env[TEMPLATE_DATA_DIR_ENV];
  // The template's PGlite was closed before the first test file ran, and nothing opens it again.
  if (template) cpSync(path.join(template, "pglite"), path.join(dataDir, "pglite"), { recursive: true });
  return dataDir;
}

async function withAdminConnection(url: string, work: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Variables of the test runner's own environment that must not leak into a server. */
const inheritedButIgnored = [
  "DATABASE_URL",
  "REDIS_URL",
  "TEST_DATABASE_URL",
  "AUTH_SECRET",
  "PUBLIC_URL",
  "ALLOWED_ORIGINS",
  "TRUSTED_PROXIES",
  "NEXTAUTH_URL",
  "PORT",
  "HOST",
  "DATA_DIR",
  "NODE_ENV",
  "SESSION_CHECK_INTERVAL_MS",
  TEMPLATE_DATABASE_ENV,
  TEMPLATE_DATA_DIR_ENV,
];

function spawnServer(settings: {
  dataDir: string;
  databaseUrl: string | undefined;
  authSecret: string;
  redisUrl: string | undefined;
  env: Record<string, string>;
}): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of inheritedButIgnored) delete env[name];
  Object.assign(env, {
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: settings.dataDir,
    AUTH_SECRET: settings.authSecret,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(settings.databaseUrl ? { DATABASE_URL: settings.databaseUrl } : {}),
    ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
    ...settings.env,
  });
  // tsx as a loader in this very process (not its CLI, which forks): signals reach the server itself.
  const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveChildren.add(child);
  return child;
}

type Output = { text: () => string; onLine: (listener: (line: string) => void) => () => void };

function collectOutput(child: ChildProcess): Output {
  let text = "";
  let partial = "";
  const listeners = new Set<(line: string) => void>();
  const echo = process.env.PARLEY_TEST_SERVER_LOG === "1";
  const onData = (chunk: Buffer) => {
    const s = chunk.toString("utf8");
    if (echo) process.stderr.write(s);
    text = (text + s).slice(-OUTPUT_LIMIT);
    const lines = (partial + s).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) for (const listener of listeners) listener(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    text: () => text,
    onLine: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const READY_LINE = /Parley listening on http:\/\/[^:\s]+:(\d+)/;

function waitForReadyLine(child: ChildProcess, output: Output, exited: Promise<number | null>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Parley did not print its ready line within ${START_TIMEOUT_MS} ms. Output:\n${output.text()}`));
    }, START_TIMEOUT_MS);
    const stopListening = output.onLine((line) => {
      const match = READY_LINE.exec(line);
      if (!match?.[1]) return;
      stop();
      resolve(Number(match[1]));
    });
    const stop = () => {
      clearTimeout(timer);
      stopListening();
    };
    void exited.then((code) => {
      stop();
      // A no-op when the ready line came first.
      reject(new ServerStartError(code, output.text()));
    });
    child.once("error", (error) => {
      stop();
      reject(error);
    });
  });
}
