import { at, seedRooms, type BenchContext, type UserClient } from "../lib/context";
import type { ServerProcess } from "../lib/processes";
import { listenOverflows } from "../lib/netstat";
import { createBenchDatabase } from "../lib/seed";
import { summarize } from "../lib/stats";
import { row, startBaseline, startParley, type Row } from "../lib/targets";
import { assignSenders, deliveryCheck, WorkerPool } from "../lib/workers";

/**
 * S7: reconnect storm. Everyone of S1 is dropped; while they are away, some
 * messages are posted; then everyone comes back within a jitter window. On
 * Parley each client also catches up, from the last sequence number it holds,
 * every room whose `conversations:sync` shows news, and must end with every
 * message once: no holes, no duplicates. The bare server only reconnects.
 */
export async function reconnectStorm(ctx: BenchContext): Promise<Row[]> {
  const people = ctx.quick ? 500 : 10_000;
  const jitterMs = ctx.quick ? 1_000 : 5_000;
  const db = await createBenchDatabase("postgres");
  try {
    const { clients, layout, roomIds } = await seedRooms(db, people, 50, 5);
    // While everyone is away, one member of every tenth room posts three messages into it.
    const posters = layout.flatMap((members, r) =>
      r % 10 === 0 ? [{ client: members[0]!, roomId: roomIds[r]! }] : [],
    );
    const baseline = await storm(await startBaseline(), clients, posters, jitterMs, false);
    const parley = await storm(await startParley(db), clients, posters, jitterMs, true);
    const label = `S7 reconnect storm, ${people.toLocaleString("en")} people, ${jitterMs / 1000} s jitter`;
    return [
      row(label, "back", "sockets", baseline.back, parley.back, `${people}`, parley.back === people),
      row(
        label,
        "all back (and caught up)",
        "s",
        baseline.seconds,
        parley.seconds,
        "<= 1.5x bare",
        parley.seconds <= 1.5 * baseline.seconds,
      ),
      row(label, "connect p50 (from each client's turn)", "ms", baseline.connect.p50, parley.connect.p50),
      row(label, "connect p99", "ms", baseline.connect.p99, parley.connect.p99),
      ...(baseline.overflows !== null && parley.overflows !== null
        ? [
            row(
              label,
              "handshakes dropped by the kernel (listen overflows)",
              "conns",
              baseline.overflows,
              parley.overflows,
            ),
          ]
        : []),
      row(label, "holes after catch-up", "msgs", null, parley.lost, "0", parley.lost === 0),
      row(label, "duplicates after catch-up", "msgs", null, parley.doubled, "0", parley.doubled === 0),
      row(label, "messages missed while away", "msgs", null, parley.missed),
    ];
  } finally {
    await db.drop();
  }
}

async function storm(
  server: ServerProcess,
  clients: UserClient[],
  posters: { client: number; roomId: string }[],
  jitterMs: number,
  catchUp: boolean,
) {
  const crowd = WorkerPool.start(2);
  const senders = WorkerPool.start(1);
  try {
    await crowd.connect(at(clients, server.url), 25);
    await crowd.drop();
    await senders.connect(
      at(
        posters.map((p) => clients[p.client]!),
        server.url,
      ),
    );
    const sent = await senders.send(
      assignSenders(
        1,
        posters.map((p, k) => ({
          client: k,
          conversationIds: [p.roomId],
          count: 3,
          intervalMs: 0,
          startDelayMs: 0,
        })),
      ),
    );
    const overflowsBefore = listenOverflows();
    const result = await crowd.storm(jitterMs, catchUp);
    const overflowsAfter = listenOverflows();
    const report = await crowd.report();
    const delivery = deliveryCheck(report, sent.ackedSeqs);
    return {
      back: result.back,
      seconds: result.ms / 1000,
      connect: summarize(result.connectMs),
      // Machine-wide, but nothing else listens for connections during the storm.
      overflows: overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore,
      lost: delivery.lost,
      doubled: delivery.doubled,
      missed: sent.acked,
    };
  } finally {
    await Promise.all([crowd.close(), senders.close()]);
    await server.close();
  }
}
