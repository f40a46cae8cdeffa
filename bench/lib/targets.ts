import { startServer, type ServerProcess } from "./processes";
import { AUTH_SECRET, type BenchDatabase } from "./seed";

/**
 * A socket's sustained writes a second on the benchmarked server. S4, S6 and S8 send back to back
 * from one socket per user (S4: 500 in a row, about 60 a second each), far past a person's default
 * limit of 3, which would pace them; the limiter still runs on every send and is measured.
 */
const BENCH_SOCKET_WRITES_PER_SECOND = "1000";

/** Parley as users run it: `server/start.ts`, production mode, on the given database. */
export async function startParley(db: BenchDatabase, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer(
    "parley",
    "server/start.ts",
    {
      PORT: "0",
      HOST: "127.0.0.1",
      AUTH_SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
      SOCKET_WRITES_PER_SECOND: BENCH_SOCKET_WRITES_PER_SECOND,
      ...db.env,
      ...env,
    },
    /Parley listening on http:\/\/localhost:(\d+)/,
  );
  // As in use: a page is served before any socket opens, and Next sets up its own listeners on the
  // first request it serves (server/index.ts keeps it away from Socket.IO's upgrades).
  const page = await fetch(`${server.url}/signin`);
  await page.arrayBuffer();
  if (!page.ok) throw new Error(`Parley served /signin with ${page.status}`);
  return server;
}

/** The bare Socket.IO server with Parley's engine options. */
export function startBaseline(env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer(
    "baseline",
    "bench/baseline-server.ts",
    { PORT: "0", ...env },
    /Baseline listening on http:\/\/127\.0\.0\.1:(\d+)/,
  );
}

/** Rows of the result table: one figure for each side and their ratio. */
export type Row = {
  scenario: string;
  metric: string;
  unit: string;
  baseline: number | null;
  parley: number;
  /** parley / baseline, where both exist. */
  ratio: number | null;
  target: string;
  pass: boolean | null;
};

export function row(
  scenario: string,
  metric: string,
  unit: string,
  baseline: number | null,
  parley: number,
  target = "",
  pass: boolean | null = null,
): Row {
  const ratio = baseline ? parley / baseline : null;
  return { scenario, metric, unit, baseline, parley, ratio, target, pass };
}

/**
 * "Independent of" a size that grew tenfold: the figure at the larger size
 * within noise of the smaller, 1.5x or 2 ms more, whichever is looser. Two
 * runs of the same read on this 2-core machine differ at p99 by a third and
 * by a millisecond or two (S5, S9), and a read that counted the rows it
 * summarises would grow with them about tenfold, far past either.
 */
export function independentOf(small: number, large: number): [target: string, pass: boolean] {
  return ["<= 1.5x or + 2 ms", large <= Math.max(1.5 * small, small + 2)];
}

/**
 * S10's targets, against the bare server that sends one frame per reaction and per edit at once.
 * A reaction storm should reach each member in at most a fifth of the frames, and may arrive up to
 * the reaction linger later (100 ms, server/realtime/event-order.ts) plus 50 ms; edits are not
 * lingered and get S3's allowance.
 */
export const STORM_TARGETS = {
  reactionFramesShare: 1 / 5,
  reactionExtraMs: 150,
  editExtraMs: 10,
} as const;

/**
 * Rooms of `roomSize` with every user in `perUser` of them: each layer is a
 * different permutation of the users cut into rooms, so rooms never repeat a
 * member and every room is full.
 */
export function roomLayout(users: number, roomSize: number, perUser: number): number[][] {
  const perLayer = Math.floor(users / roomSize);
  const strides = coprimeStrides(perLayer * roomSize, perUser);
  const rooms: number[][] = Array.from({ length: perLayer * perUser }, () => []);
  strides.forEach((stride, layer) => {
    for (let u = 0; u < perLayer * roomSize; u++) {
      const v = (u * stride) % (perLayer * roomSize);
      rooms[layer * perLayer + Math.floor(v / roomSize)]!.push(u);
    }
  });
  return rooms;
}

/** 1 and the next strides coprime with n: multiplying by each permutes 0..n-1 differently. */
function coprimeStrides(n: number, count: number): number[] {
  const strides = [1];
  for (let k = 7; strides.length < count; k += 2) if (gcd(k, n) === 1) strides.push(k);
  return strides;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
