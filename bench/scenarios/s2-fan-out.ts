import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import type { ServerProcess } from "../lib/processes";
import { createBenchDatabase } from "../lib/seed";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { openTraffic, type TrafficResult } from "../lib/traffic";
import { assignSenders } from "../lib/workers";

const WORKERS = 2;
const SATURATED_P99_MS = 250;

/**
 * S2: fan-out saturation. Rooms of 50 and of 500; senders posting back to
 * back, doubled step by step until send->receive p99 passes 250 ms. The figure
 * is the most deliveries per second a step reached.
 */
export async function fanOut(ctx: BenchContext): Promise<Row[]> {
  const people = ctx.quick ? 500 : 1_000;
  const steps = ctx.quick ? [8] : [1, 2, 4, 8, 16, 32, 64];
  const perSender = ctx.quick ? 8 : 30;
  const rows: Row[] = [];
  for (const roomSize of [50, 500]) {
    const db = await createBenchDatabase("postgres");
    try {
      const { clients, layout } = await seedRooms(db, people, roomSize, 1);
      // Senders are taken from every room in turn, so each step loads every room evenly.
      const order = layout[0]!.flatMap((_, i) => layout.map((members) => members[i]!));
      const ramp = (server: ServerProcess) => saturate(ctx, server, clients, order, steps, perSender);
      const baseline = await ramp(await startBaseline());
      const parley = await ramp(await startParley(db));
      const label = `S2 fan-out, rooms of ${roomSize}`;
      rows.push(
        row(
          label,
          "deliveries at saturation",
          "per s",
          baseline.best.deliveriesPerSecond,
          parley.best.deliveriesPerSecond,
          ">= 0.5x (aim 0.7x)",
          parley.best.deliveriesPerSecond >= 0.5 * baseline.best.deliveriesPerSecond,
        ),
        row(label, "senders at saturation", "senders", baseline.senders, parley.senders),
        row(label, "send->receive p99 there", "ms", baseline.best.receive.p99, parley.best.receive.p99),
        row(label, "lost", "msgs", baseline.lost, parley.lost, "0", parley.lost === 0),
        row(label, "doubled", "msgs", baseline.doubled, parley.doubled, "0", parley.doubled === 0),
        row(label, "server CPU there", "cores", baseline.best.serverCores, parley.best.serverCores),
        row(label, "client CPU there", "cores", baseline.best.clientCores, parley.best.clientCores),
      );
    } finally {
      await db.drop();
    }
  }
  return rows;
}

async function saturate(
  ctx: BenchContext,
  server: ServerProcess,
  clients: UserClient[],
  order: number[],
  steps: number[],
  perSender: number,
) {
  const session = await openTraffic([server], at(clients, server.url), WORKERS);
  let best: TrafficResult | null = null;
  let senders = 0;
  let lost = 0;
  let doubled = 0;
  try {
    for (const count of steps) {
      const plan = assignSenders(
        WORKERS,
        order.slice(0, count).map((client) => ({
          client,
          conversationIds: clients[client]!.rooms,
          count: perSender,
          intervalMs: 0,
          startDelayMs: 0,
        })),
      );
      const result = await session.round(plan);
      lost += result.lost;
      doubled += result.doubled;
      ctx.log(
        `  ${server.name}: ${count} senders, ${Math.round(result.deliveriesPerSecond)} deliveries/s, p99 ${result.receive.p99.toFixed(0)} ms`,
      );
      if (!best || result.deliveriesPerSecond > best.deliveriesPerSecond) {
        best = result;
        senders = count;
      }
      if (result.receive.p99 > SATURATED_P99_MS) break;
    }
  } finally {
    await session.close();
    await server.close();
  }
  return { best: best!, senders, lost, doubled };
}
