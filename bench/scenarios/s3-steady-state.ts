import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import { createBenchDatabase, type BenchDatabase } from "../lib/seed";
import { round } from "../lib/stats";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { alternateRounds, openTraffic, type TrafficResult } from "../lib/traffic";
import type { SendSpec } from "../lib/protocol";
import { assignSenders } from "../lib/workers";

const WORKERS = 2;
/** Rounds per side and rate; together they take the 30 s a rate gets on each side. */
const REPEATS = 3;

/**
 * S3: steady state. People connected in rooms of 50, a tenth of them posting
 * every few seconds, then ten times as often: latency from send to every
 * receiver, and nothing lost or doubled. Both servers hold their clients at
 * once and their rounds alternate, so that the machine's drift (the bare
 * server's p99 at ten times the rate ranged from 25 to 137 ms between runs
 * measured a minute apart) falls on both sides alike, as in S4.
 */
export async function steadyState(ctx: BenchContext): Promise<Row[]> {
  const people = ctx.quick ? 100 : 2_000;
  const posters = people / 10;
  const repeats = ctx.quick ? 1 : REPEATS;
  const seconds = (ctx.quick ? 2 : 30) / repeats;
  const db = await createBenchDatabase("postgres");
  try {
    const { clients, layout } = await seedRooms(db, people, 50, 1);
    // The first `posters / rooms` members of every room post into it.
    const perRoom = posters / layout.length;
    const posterIds = layout.flatMap((members) => members.slice(0, perRoom));
    const rates = [
      ["every 3 s", 3_000],
      ["every 0.3 s (10x)", 300],
    ] as const;
    const plans = rates.map(([, intervalMs]) =>
      assignSenders(
        WORKERS,
        posterIds.map((client) => ({
          client,
          conversationIds: clients[client]!.rooms,
          count: Math.max(1, Math.round((seconds * 1000) / intervalMs)),
          intervalMs,
          startDelayMs: Math.random() * intervalMs,
        })),
      ),
    );
    const { baseline, parley } = await measureAlternately(db, clients, plans, repeats);
    return rates.flatMap(([label], i) => {
      ctx.log(
        `  ${label}: parley ${parley[i]!.acked} messages, ${round(parley[i]!.deliveriesPerSecond, 0)} deliveries/s`,
      );
      return compare(`S3 ${people} people, ${posters} posting ${label}`, baseline[i]!, parley[i]!);
    });
  } finally {
    await db.drop();
  }
}

/** Both servers hold their clients throughout; their rounds alternate (`alternateRounds`). */
async function measureAlternately(db: BenchDatabase, clients: UserClient[], plans: SendSpec[][][], repeats: number) {
  const servers = [await startBaseline(), await startParley(db)];
  try {
    const sessions = await Promise.all(servers.map((s) => openTraffic([s], at(clients, s.url), WORKERS)));
    try {
      const [baseline, parley] = await alternateRounds(sessions, plans, repeats);
      return { baseline: baseline!, parley: parley! };
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

/** The rows every traffic scenario reports. */
export function compare(label: string, baseline: TrafficResult, parley: TrafficResult): Row[] {
  return [
    row(label, "send->receive p50", "ms", baseline.receive.p50, parley.receive.p50),
    row(label, "send->receive p95", "ms", baseline.receive.p95, parley.receive.p95),
    row(
      label,
      "send->receive p99",
      "ms",
      baseline.receive.p99,
      parley.receive.p99,
      "<= bare + 10 ms",
      parley.receive.p99 <= baseline.receive.p99 + 10,
    ),
    row(label, "send->ack p99", "ms", baseline.ack.p99, parley.ack.p99),
    row(label, "messages acked", "msgs", baseline.acked, parley.acked),
    row(label, "deliveries", "per s", baseline.deliveriesPerSecond, parley.deliveriesPerSecond),
    row(label, "lost", "msgs", baseline.lost, parley.lost, "0", parley.lost === 0),
    row(label, "doubled", "msgs", baseline.doubled, parley.doubled, "0", parley.doubled === 0),
    row(label, "server CPU", "cores", baseline.serverCores, parley.serverCores),
    row(label, "client CPU", "cores", baseline.clientCores, parley.clientCores),
    row(label, "server event-loop delay p99", "ms", baseline.loopP99, parley.loopP99),
  ];
}
