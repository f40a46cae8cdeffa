import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import type { ServerProcess } from "../lib/processes";
import { createBenchDatabase } from "../lib/seed";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { alternateRounds, openTraffic, type TrafficResult, type TrafficSession } from "../lib/traffic";
import type { SendSpec } from "../lib/protocol";
import { assignSenders } from "../lib/workers";

const WORKERS = 2;
/** Rounds per configuration and plan; together they send what one round each did before. */
const REPEATS = 3;

/**
 * S6: two Parley processes sharing PostgreSQL and Redis, with every room's
 * members split across them, against one process holding everyone. A steady
 * rate gives latency; senders posting back to back give throughput. Both
 * configurations hold their clients at once and their rounds alternate, as in
 * S3: measured one after the other, throughput ranged from 0.69x to 1.01x of
 * one process across four full runs.
 */
export async function twoProcesses(ctx: BenchContext): Promise<Row[]> {
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const people = ctx.quick ? 100 : 1_000;
  const posters = people / 10;
  const db = await createBenchDatabase("postgres");
  try {
    const { clients, layout } = await seedRooms(db, people, 50, 1);
    const perRoom = posters / layout.length;
    const posterIds = layout.flatMap((members) => members.slice(0, perRoom));
    const plan = (count: number, intervalMs: number) =>
      assignSenders(
        WORKERS,
        posterIds.map((client) => ({
          client,
          conversationIds: clients[client]!.rooms,
          count,
          intervalMs,
          startDelayMs: Math.random() * intervalMs,
        })),
      );
    const repeats = ctx.quick ? 1 : REPEATS;
    const plans = [plan(ctx.quick ? 4 : 60 / repeats, 300), plan(ctx.quick ? 10 : 99 / repeats, 0)];

    const parleyOn = (envs: Record<string, string>[]) => Promise.all(envs.map((env) => startParley(db, env)));
    const [one, two] = await measureAlternately(
      [await parleyOn([{}]), await parleyOn([{ REDIS_URL: redisUrl }, { REDIS_URL: redisUrl }])],
      clients,
      plans,
      repeats,
    );
    // The adapter choice, measured on bare servers so that nothing else differs.
    const bareOn = (adapter: string) =>
      Promise.all(
        [0, 1].map((k) =>
          startBaseline({ REDIS_URL: redisUrl, BENCH_ADAPTER: adapter, SEQ_STRIDE: "2", SEQ_OFFSET: String(k) }),
        ),
      );
    const [pubsub, streams] = await measureAlternately(
      [await bareOn("pubsub"), await bareOn("streams")],
      clients,
      plans,
      repeats,
    );
    const adapters = `S6 Redis adapters on two bare processes (baseline: pub/sub, compared: streams)`;
    const label = `S6 ${people} people in rooms of 50, one process (baseline) vs two`;
    return [
      row(label, "steady send->receive p50", "ms", one.steady.receive.p50, two.steady.receive.p50),
      row(
        label,
        "steady send->receive p99",
        "ms",
        one.steady.receive.p99,
        two.steady.receive.p99,
        "<= one + 5 ms",
        two.steady.receive.p99 <= one.steady.receive.p99 + 5,
      ),
      row(
        label,
        "back-to-back deliveries",
        "per s",
        one.flat.deliveriesPerSecond,
        two.flat.deliveriesPerSecond,
        ">= one process",
        two.flat.deliveriesPerSecond >= one.flat.deliveriesPerSecond,
      ),
      row(
        label,
        "lost",
        "msgs",
        one.steady.lost + one.flat.lost,
        two.steady.lost + two.flat.lost,
        "0",
        two.steady.lost + two.flat.lost === 0,
      ),
      row(
        label,
        "doubled",
        "msgs",
        one.steady.doubled + one.flat.doubled,
        two.steady.doubled + two.flat.doubled,
        "0",
        two.steady.doubled + two.flat.doubled === 0,
      ),
      row(label, "server CPU, back to back", "cores", one.flat.serverCores, two.flat.serverCores),
      row(label, "client CPU, back to back", "cores", one.flat.clientCores, two.flat.clientCores),
      row(adapters, "steady send->receive p99", "ms", pubsub.steady.receive.p99, streams.steady.receive.p99),
      row(
        adapters,
        "back-to-back deliveries",
        "per s",
        pubsub.flat.deliveriesPerSecond,
        streams.flat.deliveriesPerSecond,
      ),
      row(adapters, "lost + doubled", "msgs", lostAndDoubled(pubsub), lostAndDoubled(streams)),
      row(adapters, "server CPU, back to back", "cores", pubsub.flat.serverCores, streams.flat.serverCores),
    ];
  } finally {
    await db.drop();
  }
}

type Measured = { steady: TrafficResult; flat: TrafficResult };

/** Each of two configurations' servers hold their own connections of every client; rounds alternate. */
async function measureAlternately(
  configurations: [ServerProcess[], ServerProcess[]],
  clients: UserClient[],
  plans: SendSpec[][][],
  repeats: number,
): Promise<[Measured, Measured]> {
  const sessions: TrafficSession[] = [];
  try {
    // Clients alternate between a configuration's processes, so every room has members on each.
    for (const servers of configurations) {
      sessions.push(await openTraffic(servers, at(clients, ...servers.map((s) => s.url)), WORKERS));
    }
    const [a, b] = (await alternateRounds(sessions, plans, repeats)).map(([steady, flat]) => ({
      steady: steady!,
      flat: flat!,
    }));
    return [a!, b!];
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all(configurations.flat().map((s) => s.close()));
  }
}

function lostAndDoubled({ steady, flat }: Measured): number {
  return steady.lost + steady.doubled + flat.lost + flat.doubled;
}
