import { at, seedRooms, type BenchContext } from "../lib/context";
import { coresSince, type ServerProcess } from "../lib/processes";
import type { StormAction, StormActionResult, StormSent, StormState } from "../lib/protocol";
import { createBenchDatabase } from "../lib/seed";
import { summarize } from "../lib/stats";
import { row, startBaseline, startParley, STORM_TARGETS, type Row } from "../lib/targets";
import { WorkerPool } from "../lib/workers";

const WORKERS = 2;
const PEOPLE = 500;
/** Reactions in the reaction storm, edits in the edit storm, each from as many people. */
const STORM = 200;
const STORM_MS = 1_000;
/** The recent messages the reaction storm falls on. */
const TARGETS = 5;
/** Emoji that the catalog keeps as written, so that a sender's key matches what members hear. */
const EMOJI = ["❤️", "😂", "🎉", "👀", "🙏"];
/** A storm as small, once per side before measuring, so that both servers' paths are warm. */
const WARM_UP = 20;
const SETTLE_MS = 10_000;

type Kind = "reactions" | "message";

type StormFigures = {
  acked: number;
  errors: number;
  /** Per member socket: frames that carried the storm's changes. */
  frames: number[];
  /** Every member x event pair: from the send to the first frame that brought it. */
  latencies: number[];
  ackMs: number[];
  /** From the first send to the last ack: how long the server took to take the storm in. */
  spanMs: number;
  lost: number;
  differ: number;
  serverCores: number;
  clientCores: number;
};

type Side = { server: ServerProcess; pool: WorkerPool; members: number };

/**
 * S10: a reaction storm and an edit storm in one room of 500. 200 people each
 * react once within a second to a handful of recent messages; then 200 each
 * edit a message of their own within a second. For every member socket: the
 * frames that brought the storm, the latency from each event's send to its
 * arrival, any event never heard, and whether the final state it holds is the
 * server's history. Against the bare server, which sends one frame per event
 * at once; the two sides' rounds alternate, as in S3.
 */
export async function storms(ctx: BenchContext): Promise<Row[]> {
  const rounds = ctx.quick ? 1 : 3;
  const db = await createBenchDatabase("postgres");
  try {
    const { clients, roomIds } = await seedRooms(db, PEOPLE, PEOPLE, 1);
    const room = roomIds[0]!;
    const servers = [await startBaseline(), await startParley(db)];
    const sides: Side[] = [];
    try {
      for (const server of servers) {
        const pool = WorkerPool.start(WORKERS);
        sides.push({ server, pool, members: (await pool.connect(at(clients, server.url))).connected });
      }
      for (const side of sides) {
        await reactionStorm(side, room, WARM_UP);
        await editStorm(side, room, WARM_UP);
      }
      const results = sides.map(() => ({ reactions: [] as StormFigures[], edits: [] as StormFigures[] }));
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        for (const k of order) results[k]!.reactions.push(await reactionStorm(sides[k]!, room, STORM));
        for (const k of [...order].reverse()) results[k]!.edits.push(await editStorm(sides[k]!, room, STORM));
      }
      const [bare, parley] = results.map((r) => ({ reactions: pooled(r.reactions), edits: pooled(r.edits) }));
      ctx.log(
        `  reactions: frames per socket ${mean(bare!.reactions.frames).toFixed(1)} bare, ${mean(parley!.reactions.frames).toFixed(1)} parley`,
      );
      return [
        ...compare(
          `S10 ${PEOPLE} in one room, ${STORM} reactions in 1 s`,
          bare!.reactions,
          parley!.reactions,
          "reactions",
        ),
        ...compare(`S10 ${PEOPLE} in one room, ${STORM} edits in 1 s`, bare!.edits, parley!.edits, "message"),
      ];
    } finally {
      await Promise.all(sides.map((s) => s.pool.close()));
      await Promise.all(servers.map((s) => s.close()));
    }
  } finally {
    await db.drop();
  }
}

/** `count` people each add one reaction, within a second, to the newest TARGETS messages. */
async function reactionStorm({ server, pool, members }: Side, room: string, count: number): Promise<StormFigures> {
  const seqs = await post(pool, room, members, range(0, TARGETS));
  const reactors = range(PEOPLE - count, PEOPLE);
  const actions = reactors.map((client, i): StormAction => ({
    kind: "react",
    client,
    conversationId: room,
    seq: seqs[i % seqs.length]!,
    emoji: EMOJI[Math.floor(i / seqs.length) % EMOJI.length]!,
    delayMs: Math.random() * STORM_MS,
  }));
  return measure(server, pool, members, room, actions, seqs, "reactions");
}

/** `count` people each post a message, then, measured, each edit their own within a second. */
async function editStorm({ server, pool, members }: Side, room: string, count: number): Promise<StormFigures> {
  const editors = range(0, count);
  const seqs = await post(pool, room, members, editors);
  const actions = editors.map((client, i): StormAction => ({
    kind: "edit",
    client,
    conversationId: room,
    seq: seqs[i]!,
    delayMs: Math.random() * STORM_MS,
  }));
  return measure(server, pool, members, room, actions, seqs, "message");
}

/** Each poster sends one message, and every member has them all before the storm: their sequence numbers. */
async function post(pool: WorkerPool, room: string, members: number, posters: number[]): Promise<number[]> {
  const before = await pool.received();
  const results = await pool.act(
    posters.map((client): StormAction => ({ kind: "post", client, conversationId: room, delayMs: 0 })),
  );
  const seqs = results.map((r) => {
    if (!r.ok) throw new Error(`S10: a storm's message was refused: ${r.error}`);
    return r.seq;
  });
  await pool.settle(before + members * seqs.length);
  return seqs;
}

async function measure(
  server: ServerProcess,
  pool: WorkerPool,
  members: number,
  room: string,
  actions: StormAction[],
  seqs: number[],
  kind: Kind,
): Promise<StormFigures> {
  const clock = server.cpu();
  const clientClocks = pool.cpuClocks();
  const results = await pool.act(actions);
  const sent: StormSent[] = results.flatMap((r) =>
    r.ok ? [{ conversationId: r.conversationId, key: r.key, sentAt: r.sentAt }] : [],
  );
  const errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
  if (errors.length > 0) console.log(`  ${server.name}: ${errors.length} ${kind} refused, e.g.: ${errors[0]}`);
  await pool.settleStorm(members * sent.length, SETTLE_MS);
  const serverCores = coresSince(clock);
  const clientCores = WorkerPool.cores(clientClocks);
  const finals = await finalState(pool, room, seqs, kind);
  const report = await pool.stormReport(sent, finals, kind);
  return {
    acked: sent.length,
    errors: errors.length,
    frames: report.frames,
    latencies: report.latencies,
    ackMs: results.flatMap((r) => (r.ok ? [r.ackMs] : [])),
    spanMs: storeSpan(results),
    lost: report.lost,
    differ: report.differ,
    serverCores,
    clientCores,
  };
}

/** The storm's messages as the server's history has them, read over a socket as the app reads. */
async function finalState(pool: WorkerPool, room: string, seqs: number[], kind: Kind): Promise<StormState> {
  const first = Math.min(...seqs);
  const last = Math.max(...seqs);
  const wanted = new Set(seqs);
  const messages = await pool.history(0, room, first - 1, last - first + 1);
  if (messages.length !== last - first + 1) throw new Error(`S10: history held ${messages.length} of the messages`);
  return Object.fromEntries(
    messages
      .filter((m) => wanted.has(m.seq))
      .map((m) => [`${room} ${m.seq}`, kind === "reactions" ? JSON.stringify(m.reactions) : m.text]),
  );
}

function storeSpan(results: StormActionResult[]): number {
  const ok = results.flatMap((r) => (r.ok ? [r] : []));
  return Math.max(...ok.map((r) => r.sentAt + r.ackMs)) - Math.min(...ok.map((r) => r.sentAt));
}

function pooled(rounds: StormFigures[]): StormFigures {
  const sum = (f: (r: StormFigures) => number) => rounds.reduce((n, r) => n + f(r), 0);
  return {
    acked: sum((r) => r.acked),
    errors: sum((r) => r.errors),
    frames: rounds.flatMap((r) => r.frames),
    latencies: rounds.flatMap((r) => r.latencies),
    ackMs: rounds.flatMap((r) => r.ackMs),
    spanMs: Math.max(...rounds.map((r) => r.spanMs)),
    lost: sum((r) => r.lost),
    differ: sum((r) => r.differ),
    serverCores: sum((r) => r.serverCores) / rounds.length,
    clientCores: sum((r) => r.clientCores) / rounds.length,
  };
}

function compare(label: string, bare: StormFigures, parley: StormFigures, kind: Kind): Row[] {
  const [bareLatency, parleyLatency] = [summarize(bare.latencies), summarize(parley.latencies)];
  const [bareFrames, parleyFrames] = [mean(bare.frames), mean(parley.frames)];
  const extraMs = kind === "reactions" ? STORM_TARGETS.reactionExtraMs : STORM_TARGETS.editExtraMs;
  const framesRow =
    kind === "reactions"
      ? row(
          label,
          "frames per socket, mean",
          "frames",
          bareFrames,
          parleyFrames,
          "<= 1/5 bare",
          parleyFrames <= bareFrames * STORM_TARGETS.reactionFramesShare,
        )
      : row(label, "frames per socket, mean", "frames", bareFrames, parleyFrames);
  return [
    framesRow,
    row(label, "frames per socket, max", "frames", Math.max(...bare.frames), Math.max(...parley.frames)),
    row(label, "send->heard p50", "ms", bareLatency.p50, parleyLatency.p50),
    row(
      label,
      "send->heard p99",
      "ms",
      bareLatency.p99,
      parleyLatency.p99,
      `<= bare + ${extraMs} ms`,
      parleyLatency.p99 <= bareLatency.p99 + extraMs,
    ),
    row(label, "send->ack p99", "ms", summarize(bare.ackMs).p99, summarize(parley.ackMs).p99),
    row(label, "first send to last ack (slowest round)", "ms", bare.spanMs, parley.spanMs),
    row(label, "acked", kind === "reactions" ? "reactions" : "edits", bare.acked, parley.acked),
    row(
      label,
      "refused",
      kind === "reactions" ? "reactions" : "edits",
      bare.errors,
      parley.errors,
      "0",
      parley.errors === 0,
    ),
    row(label, "lost (member x event never heard)", "pairs", bare.lost, parley.lost, "0", parley.lost === 0),
    row(label, "final state not the server's", "sockets", bare.differ, parley.differ, "0", parley.differ === 0),
    row(label, "server CPU", "cores", bare.serverCores, parley.serverCores),
    row(label, "client CPU", "cores", bare.clientCores, parley.clientCores),
  ];
}

function mean(values: number[]): number {
  return values.reduce((n, v) => n + v, 0) / values.length;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
