import { coresSince, type ServerProcess } from "./processes";
import type { ClientSpec, SendSpec } from "./protocol";
import { summarize, type Latency } from "./stats";
import { deliveryCheck, WorkerPool } from "./workers";

export type TrafficResult = {
  connected: number;
  acked: number;
  errors: number;
  ack: Latency;
  receive: Latency;
  /** The samples behind ack and receive, so rounds can be pooled. */
  ackMs: number[];
  receiveMs: number[];
  lost: number;
  doubled: number;
  deliveriesPerSecond: number;
  messagesPerSecond: number;
  clientCores: number;
  serverCores: number;
  loopP99: number;
};

export type TrafficSession = {
  /** Runs one send plan and measures what arrived. */
  round: (senders: SendSpec[][]) => Promise<TrafficResult>;
  close: () => Promise<void>;
};

/**
 * Connects the clients once for several rounds of sending: the common core of
 * the traffic scenarios, the same for Parley and the baseline. The first
 * round's plan is also sent once, unmeasured, so pools, caches and the JIT
 * are warm on both sides.
 */
export async function openTraffic(
  servers: ServerProcess[],
  clients: ClientSpec[],
  workerCount: number,
): Promise<TrafficSession> {
  const pool = WorkerPool.start(workerCount);
  const { connected } = await pool.connect(clients);
  // Every client should end up with every acked message of each of its rooms.
  const expected = (ackedSeqs: Record<string, number[]>) =>
    clients.reduce((n, c) => n + c.rooms.reduce((m, room) => m + (ackedSeqs[room]?.length ?? 0), 0), 0);
  let warm = false;
  const round = async (senders: SendSpec[][]): Promise<TrafficResult> => {
    if (!warm) {
      const warmUp = await pool.send(
        senders.map((plan) => plan.map((s) => ({ ...s, count: 1, intervalMs: 0, startDelayMs: 0 }))),
      );
      await pool.settle(expected(warmUp.ackedSeqs));
      await pool.report();
      warm = true;
    }
    // Resets each server's event-loop histogram so it covers this round only.
    await Promise.all(servers.map((s) => s.probe()));
    const clientClocks = pool.cpuClocks();
    const serverClocks = servers.map((s) => s.cpu());
    const t0 = performance.now();
    const sent = await pool.send(senders);
    const seconds = (performance.now() - t0) / 1000;
    const clientCores = WorkerPool.cores(clientClocks);
    const serverCores = serverClocks.reduce((sum, clock) => sum + coresSince(clock), 0);
    await pool.settle(expected(sent.ackedSeqs));
    const report = await pool.report();
    const probes = await Promise.all(servers.map((s) => s.probe()));
    const delivery = deliveryCheck(report, sent.ackedSeqs);
    if (sent.errors > 0) console.log(`  ${sent.errors} sends failed, e.g.: ${sent.errorSamples.join("; ")}`);
    return {
      connected,
      acked: sent.acked,
      errors: sent.errors,
      ack: summarize(sent.ackLatencies),
      receive: summarize(report.latencies),
      ackMs: sent.ackLatencies,
      receiveMs: report.latencies,
      lost: delivery.lost,
      doubled: delivery.doubled,
      deliveriesPerSecond: delivery.delivered / seconds,
      messagesPerSecond: sent.acked / seconds,
      clientCores,
      serverCores,
      loopP99: Math.max(...probes.map((p) => p.eventLoopP99Ms)),
    };
  };
  return { round, close: () => pool.close() };
}

/** Several rounds of one side as one: percentiles over all their samples, counts summed, rates averaged. */
function pooled(rounds: TrafficResult[]): TrafficResult {
  const sum = (f: (r: TrafficResult) => number) => rounds.reduce((n, r) => n + f(r), 0);
  const mean = (f: (r: TrafficResult) => number) => sum(f) / rounds.length;
  const ackMs = rounds.flatMap((r) => r.ackMs);
  const receiveMs = rounds.flatMap((r) => r.receiveMs);
  return {
    connected: Math.min(...rounds.map((r) => r.connected)),
    acked: sum((r) => r.acked),
    errors: sum((r) => r.errors),
    ack: summarize(ackMs),
    receive: summarize(receiveMs),
    ackMs,
    receiveMs,
    lost: sum((r) => r.lost),
    doubled: sum((r) => r.doubled),
    deliveriesPerSecond: mean((r) => r.deliveriesPerSecond),
    messagesPerSecond: mean((r) => r.messagesPerSecond),
    clientCores: mean((r) => r.clientCores),
    serverCores: mean((r) => r.serverCores),
    loopP99: Math.max(...rounds.map((r) => r.loopP99)),
  };
}

/**
 * Every plan `repeats` times on each session, the sessions taking turns and
 * swapping who goes first each time, so that the machine's drift falls on all
 * of them alike; returns each session's rounds of a plan pooled.
 */
export async function alternateRounds(
  sessions: TrafficSession[],
  plans: SendSpec[][][],
  repeats: number,
): Promise<TrafficResult[][]> {
  const rounds = sessions.map(() => plans.map((): TrafficResult[] => []));
  for (let r = 0, turn = 0; r < repeats; r++) {
    for (const [i, plan] of plans.entries()) {
      const order = sessions.map((_, k) => k);
      if (turn++ % 2 === 1) order.reverse();
      for (const k of order) rounds[k]![i]!.push(await sessions[k]!.round(plan));
    }
  }
  return rounds.map((perPlan) => perPlan.map(pooled));
}
