import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import { createBenchDatabase } from "../lib/seed";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { openFileLimit, type ServerProcess } from "../lib/processes";
import { WorkerPool } from "../lib/workers";

/**
 * S1: idle capacity. N authenticated sockets, each in 5 rooms of 50, held
 * open; memory per connection after a forced GC, against the bare server.
 */
export async function idleCapacity(ctx: BenchContext): Promise<Row[]> {
  // The second size is 20,000 where the open-file limit allows it (a socket is a descriptor).
  const largest = Math.min(20_000, Math.floor((openFileLimit() - 1_000) / 1_000) * 1_000);
  const sizes = ctx.quick ? [1_000] : [10_000, largest];
  const holdMs = ctx.quick ? 2_000 : 60_000;
  const rows: Row[] = [];
  for (const size of sizes) {
    const db = await createBenchDatabase("postgres");
    try {
      const { clients } = await seedRooms(db, size, 50, 5);
      const workers = Math.max(2, Math.ceil(size / 5_000));
      const baseline = await hold(ctx, await startBaseline(), clients, holdMs, workers);
      const parley = await hold(ctx, await startParley(db), clients, holdMs, workers);
      const label = `S1 idle ${size.toLocaleString("en")}`;
      rows.push(
        row(label, "connections held", "sockets", baseline.held, parley.held, `${size}`, parley.held === size),
        row(
          label,
          "RSS per connection",
          "KiB",
          baseline.perConnKiB,
          parley.perConnKiB,
          "<= 1.5x",
          parley.perConnKiB <= 1.5 * baseline.perConnKiB,
        ),
        row(
          label,
          "disconnects while held",
          "sockets",
          baseline.disconnects,
          parley.disconnects,
          "0",
          parley.disconnects === 0,
        ),
        row(label, "connect time", "s", baseline.connectS, parley.connectS),
        row(label, "server event-loop delay p99", "ms", baseline.loopP99, parley.loopP99),
        row(label, "client CPU while connecting", "cores", baseline.clientCores, parley.clientCores),
      );
    } finally {
      await db.drop();
    }
  }
  return rows;
}

async function hold(
  ctx: BenchContext,
  server: ServerProcess,
  clients: UserClient[],
  holdMs: number,
  workerCount: number,
) {
  const pool = WorkerPool.start(workerCount);
  try {
    const empty = await server.probe();
    const clocks = pool.cpuClocks();
    const connected = await pool.connect(at(clients, server.url), 25);
    const clientCores = WorkerPool.cores(clocks);
    ctx.log(
      `  ${server.name}: ${connected.connected} connected (${connected.failed} failed) in ${(connected.ms / 1000).toFixed(1)} s`,
    );
    await new Promise((r) => setTimeout(r, holdMs));
    const full = await server.probe();
    const report = await pool.report();
    return {
      held: connected.connected - report.disconnects,
      disconnects: report.disconnects,
      perConnKiB: (full.rss - empty.rss) / 1024 / Math.max(1, connected.connected),
      connectS: connected.ms / 1000,
      loopP99: full.eventLoopP99Ms,
      clientCores,
    };
  } finally {
    await pool.close();
    await server.close();
  }
}
