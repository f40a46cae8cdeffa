import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import type { ServerProcess } from "../lib/processes";
import { createBenchDatabase } from "../lib/seed";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { openTraffic, type TrafficResult } from "../lib/traffic";
import { assignSenders } from "../lib/workers";

const WORKERS = 2;

/**
 * S6: two Parley processes sharing PostgreSQL and Redis, with every room's
 * members split across them, against one process holding everyone. A steady
 * rate gives latency; senders posting back to back give throughput.
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
    const steady = plan(ctx.quick ? 4 : 60, 300);
    const flat = plan(ctx.quick ? 10 : 100, 0);

    const parleyOn = (envs: Record<string, string>[]) => Promise.all(envs.map((env) => startParley(db, env)));
    const one = await measure(await parleyOn([{}]), clients, steady, flat);
    const two = await measure(
      await parleyOn([{ REDIS_URL: redisUrl }, { REDIS_URL: redisUrl }]),
      clients,
      steady,
      flat,
    );
    // The adapter choice, measured on bare servers so that nothing else differs.
    const bareOn = (adapter: string) =>
      Promise.all(
        [0, 1].map((k) =>
          startBaseline({ REDIS_URL: redisUrl, BENCH_ADAPTER: adapter, SEQ_STRIDE: "2", SEQ_OFFSET: String(k) }),
        ),
      );
    const pubsub = await measure(await bareOn("pubsub"), clients, steady, flat);
    const streams = await measure(await bareOn("streams"), clients, steady, flat);
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

async function measure(
  servers: ServerProcess[],
  clients: UserClient[],
  steady: ReturnType<typeof assignSenders>,
  flat: ReturnType<typeof assignSenders>,
): Promise<Measured> {
  // Clients alternate between the processes, so every room has members on each.
  const session = await openTraffic(servers, at(clients, ...servers.map((s) => s.url)), WORKERS);
  try {
    return { steady: await session.round(steady), flat: await session.round(flat) };
  } finally {
    await session.close();
    await Promise.all(servers.map((s) => s.close()));
  }
}

function lostAndDoubled({ steady, flat }: Measured): number {
  return steady.lost + steady.doubled + flat.lost + flat.doubled;
}
