import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import type { ServerProcess } from "../lib/processes";
import { createBenchDatabase } from "../lib/seed";
import { round } from "../lib/stats";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { openTraffic, type TrafficResult } from "../lib/traffic";
import type { SendSpec } from "../lib/protocol";
import { assignSenders } from "../lib/workers";

const WORKERS = 2;

/**
 * S3: steady state. People connected in rooms of 50, a tenth of them posting
 * every few seconds, then ten times as often: latency from send to every
 * receiver, and nothing lost or doubled.
 */
export async function steadyState(ctx: BenchContext): Promise<Row[]> {
  const people = ctx.quick ? 100 : 2_000;
  const posters = people / 10;
  const seconds = ctx.quick ? 2 : 30;
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
    const baseline = await measure(await startBaseline(), clients, plans);
    const parley = await measure(await startParley(db), clients, plans);
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

/** Both rates on one connected set of clients. */
async function measure(server: ServerProcess, clients: UserClient[], plans: SendSpec[][][]) {
  const session = await openTraffic([server], at(clients, server.url), WORKERS);
  try {
    const results: TrafficResult[] = [];
    for (const plan of plans) results.push(await session.round(plan));
    return results;
  } finally {
    await session.close();
    await server.close();
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
