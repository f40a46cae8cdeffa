import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { coresSince, cpuClock, profileFlags, type CpuClock } from "./processes";
import type {
  ClientSpec,
  ConnectResult,
  ReceiveReport,
  SendResult,
  SendSpec,
  StormAction,
  StormActionResult,
  StormReport,
  StormResult,
  StormSent,
  StormState,
  WorkerCommand,
  WorkerReply,
} from "./protocol";

const workerModule = path.resolve(import.meta.dirname, "../load-worker.ts");

/** Load generator processes, each holding a share of the clients. */
export class WorkerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static start(count: number): WorkerPool {
    const workers = Array.from({ length: count }, () =>
      fork(workerModule, [], {
        execArgv: [...profileFlags(), "--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      }),
    );
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Client i goes to worker i % size, so senders and receivers spread evenly. */
  async connect(clients: ClientSpec[], concurrency = 50): Promise<ConnectResult> {
    const perWorker = this.workers.map((_, w) => clients.filter((_, i) => i % this.workers.length === w));
    const results = await Promise.all(
      this.workers.map((worker, w) =>
        this.ask<ConnectResult>(worker, { cmd: "connect", clients: perWorker[w]!, concurrency }, "connected"),
      ),
    );
    return {
      type: "connected",
      connected: results.reduce((n, r) => n + r.connected, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      ms: Math.max(...results.map((r) => r.ms)),
    };
  }

  /** senders[w] are the sends of worker w, indexed into that worker's clients. */
  async send(senders: SendSpec[][]): Promise<SendResult> {
    const results = await Promise.all(
      this.workers.map((worker, w) => this.ask<SendResult>(worker, { cmd: "send", senders: senders[w] ?? [] }, "sent")),
    );
    const ackedSeqs: Record<string, number[]> = {};
    for (const r of results) for (const [id, seqs] of Object.entries(r.ackedSeqs)) (ackedSeqs[id] ??= []).push(...seqs);
    return {
      type: "sent",
      acked: results.reduce((n, r) => n + r.acked, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
      ackLatencies: results.flatMap((r) => r.ackLatencies),
      ackedSeqs,
    };
  }

  async report(): Promise<ReceiveReport> {
    const results = await Promise.all(this.workers.map((w) => this.ask<ReceiveReport>(w, { cmd: "report" }, "report")));
    return {
      type: "report",
      latencies: results.flatMap((r) => r.latencies),
      sockets: results.flatMap((r) => r.sockets),
      disconnects: results.reduce((n, r) => n + r.disconnects, 0),
    };
  }

  /**
   * Waits until the clients have received `expected` messages in all, or the
   * timeout passes: deliveries still in flight after the last ack.
   */
  async settle(expected: number, timeoutMs = 5_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const counts = await Promise.all(
        this.workers.map((w) => this.ask<{ type: "count"; total: number }>(w, { cmd: "count" }, "count")),
      );
      if (counts.reduce((n, c) => n + c.total, 0) >= expected) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Messages received in all since the last report, the senders' own (in their acks) included. */
  async received(): Promise<number> {
    const counts = await Promise.all(
      this.workers.map((w) => this.ask<{ type: "count"; total: number }>(w, { cmd: "count" }, "count")),
    );
    return counts.reduce((n, c) => n + c.total, 0);
  }

  /** Runs storm actions named by global client index; their results in the order given. */
  async act(actions: StormAction[]): Promise<StormActionResult[]> {
    const size = this.workers.length;
    const perWorker = this.workers.map((_, w) =>
      actions.flatMap((a, i) =>
        a.client % size === w ? [{ i, action: { ...a, client: Math.floor(a.client / size) } }] : [],
      ),
    );
    const replies = await Promise.all(
      this.workers.map((worker, w) =>
        this.ask<{ type: "acted"; results: StormActionResult[] }>(
          worker,
          { cmd: "act", actions: perWorker[w]!.map((p) => p.action) },
          "acted",
        ),
      ),
    );
    const results: StormActionResult[] = [];
    perWorker.forEach((share, w) => share.forEach(({ i }, k) => (results[i] = replies[w]!.results[k]!)));
    return results;
  }

  /** Waits until the sockets have heard `expected` storm events in all (member x event), or the timeout passes. */
  async settleStorm(expected: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const seen = await Promise.all(
        this.workers.map((w) =>
          this.ask<{ type: "storm-seen"; total: number }>(w, { cmd: "storm-seen" }, "storm-seen"),
        ),
      );
      if (seen.reduce((n, s) => n + s.total, 0) >= expected) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stormReport(sent: StormSent[], finals: StormState, kind: "reactions" | "message"): Promise<StormReport> {
    const results = await Promise.all(
      this.workers.map((w) => this.ask<StormReport>(w, { cmd: "storm-report", sent, finals, kind }, "storm-report")),
    );
    return {
      type: "storm-report",
      frames: results.flatMap((r) => r.frames),
      latencies: results.flatMap((r) => r.latencies),
      lost: results.reduce((n, r) => n + r.lost, 0),
      differ: results.reduce((n, r) => n + r.differ, 0),
    };
  }

  /** A conversation's messages after `after`, read by the client of that global index. */
  async history(client: number, conversationId: string, after: number, limit: number) {
    const size = this.workers.length;
    const reply = await this.ask<Extract<WorkerReply, { type: "history" }>>(
      this.workers[client % size]!,
      { cmd: "history", client: Math.floor(client / size), conversationId, after, limit },
      "history",
    );
    return reply.messages;
  }

  /** Closes every socket; the clients stay, with what they received, for `storm`. */
  async drop(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.ask(w, { cmd: "drop" }, "dropped")));
  }

  /** Closes every socket and forgets its client, so that the pool can connect another set. */
  async disconnect(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.ask(w, { cmd: "disconnect" }, "disconnected")));
  }

  /** Brings every dropped client back within `jitterMs`, catching up if asked; the slowest worker's time. */
  async storm(jitterMs: number, catchUp: boolean): Promise<StormResult> {
    const results = await Promise.all(
      this.workers.map((w) => this.ask<StormResult>(w, { cmd: "storm", jitterMs, catchUp }, "stormed")),
    );
    return {
      type: "stormed",
      back: results.reduce((n, r) => n + r.back, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      ms: Math.max(...results.map((r) => r.ms)),
      connectMs: results.flatMap((r) => r.connectMs),
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.exitCode !== null) return resolve();
            worker.once("exit", () => resolve());
            worker.send({ cmd: "close" } satisfies WorkerCommand);
          }),
      ),
    );
  }

  cpuClocks(): CpuClock[] {
    return this.workers.map((w) => cpuClock(w.pid!));
  }

  static cores(clocks: CpuClock[]): number {
    return clocks.reduce((sum, clock) => sum + coresSince(clock), 0);
  }

  private ask<T extends WorkerReply>(worker: ChildProcess, command: WorkerCommand, type: T["type"]): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (message: WorkerReply) => {
        if (message.type !== type) return;
        worker.off("message", onMessage);
        resolve(message as T);
      };
      worker.on("message", onMessage);
      worker.send(command);
    });
  }
}

/**
 * Messages lost and doubled, from what each socket received against the
 * sequence numbers acked in its rooms. Every socket was connected before the
 * first send, so each should have every acked message of its rooms once.
 */
export function deliveryCheck(
  report: ReceiveReport,
  ackedSeqs: Record<string, number[]>,
): { lost: number; doubled: number; delivered: number } {
  let lost = 0;
  let doubled = 0;
  let delivered = 0;
  for (const socket of report.sockets) {
    for (const room of socket.rooms) {
      const expected = ackedSeqs[room]?.length ?? 0;
      const got = socket.received[room] ?? { total: 0, distinct: 0 };
      lost += Math.max(0, expected - got.distinct);
      doubled += got.total - got.distinct;
      delivered += got.total;
    }
  }
  return { lost, doubled, delivered };
}

/** A send plan by global client index, split into each worker's share with local indexes. */
export function assignSenders(
  workerCount: number,
  senders: (Omit<SendSpec, "client"> & { client: number })[],
): SendSpec[][] {
  const perWorker: SendSpec[][] = Array.from({ length: workerCount }, () => []);
  for (const sender of senders) {
    perWorker[sender.client % workerCount]!.push({ ...sender, client: Math.floor(sender.client / workerCount) });
  }
  return perWorker;
}
