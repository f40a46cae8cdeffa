import { sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { at, clientSpecs, type BenchContext, type UserClient } from "../lib/context";
import { createBenchDatabase, seedChannels, seedMessages, seedUsers, type BenchDatabase } from "../lib/seed";
import { row, startParley, type Row } from "../lib/targets";
import { assignSenders, WorkerPool } from "../lib/workers";

export const CONCURRENCY = [1, 4, 16] as const;
const SENDERS = 16;
type Shape = "spread" | "hot";

export type WriteFigures = Record<Shape, Record<number, number>>;

/**
 * What the write scenarios send to: every sender has 1,000 conversations of
 * its own (so a message is delivered to one socket and the figure is the write
 * path, not fan-out), and all senders share one hot conversation.
 */
type WriteLayout = { clients: UserClient[]; spreadOf: string[][]; hot: string; senderIds: string[] };

/** This run's Parley figures on PostgreSQL, for S8 to compare PGlite with. */
export let postgresWrites: WriteFigures | null = null;

/**
 * S4: the write path. Messages persisted per second through the real socket
 * event, spread over 1,000 conversations per sender and into one hot
 * conversation, at 1, 4 and 16 concurrent senders, against a raw postgres.js
 * insert of the same row with the same sequence assignment. The two sides take
 * turns cell by cell, twice in opposite order, so that both see the same machine.
 */
export async function writePath(ctx: BenchContext): Promise<Row[]> {
  const db = await createBenchDatabase("postgres");
  try {
    const layout = await db.use((d) => seedWriteLayout(ctx, d));
    const writers = [await parleyWriter(db, layout), rawWriter(db.env.DATABASE_URL!, layout)];
    let parley: WriteFigures, raw: WriteFigures;
    try {
      [parley, raw] = (await measureWrites(ctx, writers, ctx.quick ? 1 : 2)) as [WriteFigures, WriteFigures];
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    postgresWrites = parley;
    const rows: Row[] = [];
    for (const shape of ["spread", "hot"] as const) {
      const label = `S4 writes, ${shape === "spread" ? `${layout.spreadOf[0]!.length.toLocaleString("en")} conversations per sender` : "one hot conversation"}`;
      for (const c of CONCURRENCY) {
        const p = parley[shape][c]!;
        const r = raw[shape][c]!;
        rows.push(row(label, `${c} concurrent senders`, "msgs/s", r, p, ">= 0.5x raw", p >= 0.5 * r));
      }
    }
    const spread16 = parley.spread[16]!;
    rows.push(
      row("S4 writes, spread", "16 senders, absolute", "msgs/s", null, spread16, ">= 1,000", spread16 >= 1_000),
    );
    return rows;
  } finally {
    await db.drop();
  }
}

/**
 * Each sender's own conversations: 1,000, or 100 in quick mode. The database
 * also holds a history of `history` messages in a channel of their own, and
 * statistics, as a running workspace's does: on empty tables growing by
 * thousands of rows a second, autovacuum analyzes them again and again, and
 * each pass makes every connection plan its statements anew; S4's first cell
 * measured 0.40x in three runs that way, and 0.50 to 0.62x placed later or
 * with autovacuum off.
 */
export async function seedWriteLayout(
  ctx: BenchContext,
  d: Parameters<Parameters<BenchDatabase["use"]>[0]>[0],
  history = historySize(ctx),
): Promise<WriteLayout> {
  const spread = ctx.quick ? 100 : 1_000;
  const users = await seedUsers(d, SENDERS);
  const everyone = users.map((_, i) => i);
  const memberLists = [everyone, [0], ...everyone.flatMap((k) => Array.from({ length: spread }, () => [k]))];
  const [hot, archive, ...rest] = await seedChannels(d, users, memberLists);
  if (history > 0) await seedMessages(d, archive!, users[0]!.id, history);
  await d.execute(sql`analyze`);
  const spreadOf = everyone.map((k) => rest.slice(k * spread, (k + 1) * spread));
  return {
    clients: clientSpecs(
      users,
      spreadOf.map((own) => [hot!, ...own]),
    ),
    spreadOf,
    hot: hot!,
    senderIds: users.map((u) => u.id),
  };
}

/** Messages already stored when the write scenarios begin. */
function historySize(ctx: BenchContext): number {
  return ctx.quick ? 20_000 : 1_000_000;
}

/** Something that persists messages: one round sends `count` messages from each of `c` senders, and says how long it took. */
type Writer = {
  round: (shape: Shape, c: number, count: number) => Promise<{ acked: number; ms: number }>;
  close: () => Promise<void>;
};

/**
 * Persisted messages per second for each writer, shape and concurrency. Each
 * cell is measured `repeats` times, alternating which writer goes first, and
 * sums the messages and the time.
 */
async function measureWrites(ctx: BenchContext, writers: Writer[], repeats: number): Promise<WriteFigures[]> {
  const perSender = ctx.quick ? 50 : 500;
  // Unmeasured: warms pools, caches and the JIT.
  for (const writer of writers) await writer.round("spread", SENDERS, 60);
  const figures: WriteFigures[] = writers.map(() => ({ spread: {}, hot: {} }));
  for (const shape of ["spread", "hot"] as const) {
    for (const c of CONCURRENCY) {
      const totals = writers.map(() => ({ acked: 0, ms: 0 }));
      for (let r = 0; r < repeats; r++) {
        const order = r % 2 === 0 ? writers.map((_, i) => i) : writers.map((_, i) => writers.length - 1 - i);
        for (const i of order) {
          const { acked, ms } = await writers[i]!.round(shape, c, perSender);
          totals[i]!.acked += acked;
          totals[i]!.ms += ms;
        }
      }
      totals.forEach((t, i) => (figures[i]![shape][c] = t.acked / (t.ms / 1000)));
    }
  }
  return figures;
}

/** Parley's write path alone, on PostgreSQL or PGlite (S8). */
export async function measureParleyWrites(
  ctx: BenchContext,
  db: BenchDatabase,
  layout: WriteLayout,
): Promise<WriteFigures> {
  const writer = await parleyWriter(db, layout);
  try {
    return (await measureWrites(ctx, [writer], 1))[0]!;
  } finally {
    await writer.close();
  }
}

/**
 * Parley as users send: the real socket event with acks, from load-worker
 * processes that live as long as the writer, so their JIT is as warm as the
 * raw writer's process.
 */
async function parleyWriter(db: BenchDatabase, layout: WriteLayout): Promise<Writer> {
  const server = await startParley(db);
  const pool = WorkerPool.start(2);
  return {
    round: async (shape, c, count) => {
      // Only this round's senders are connected, so the hot conversation fans out to them alone.
      await pool.connect(at(layout.clients.slice(0, c), server.url), 16);
      try {
        const plan = assignSenders(
          pool.size,
          Array.from({ length: c }, (_, k) => ({
            client: k,
            conversationIds: shape === "hot" ? [layout.hot] : layout.spreadOf[k]!,
            count,
            intervalMs: 0,
            startDelayMs: 0,
          })),
        );
        const t0 = performance.now();
        const sent = await pool.send(plan);
        const ms = performance.now() - t0;
        if (sent.errors) console.log(`  ${sent.errors} sends failed: ${sent.errorSamples.join("; ")}`);
        return { acked: sent.acked, ms };
      } finally {
        await pool.disconnect();
      }
    },
    close: async () => {
      await pool.close();
      await server.close();
    },
  };
}

/**
 * The floor under Parley's write path: the same row with the same sequence
 * assignment, in the fastest raw form (one statement: UPDATE ... RETURNING
 * feeding the INSERT), without Parley's membership and duplicate checks.
 */
function rawWriter(databaseUrl: string, layout: WriteLayout): Writer {
  const sql = postgres(databaseUrl, { max: SENDERS, onnotice: () => {} });
  const insert = (conversationId: string, senderId: string, i: number) => sql`
    with next as (update conversations set last_seq = last_seq + 1 where id = ${conversationId} returning last_seq)
    insert into messages (conversation_id, seq, sender_id, client_message_id, text)
    select ${conversationId}, last_seq, ${senderId}, ${randomUUID()}, ${`${Date.now()} raw message ${i}`} from next`;
  return {
    round: async (shape, c, count) => {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: c }, async (_, k) => {
          const targets = shape === "hot" ? [layout.hot] : layout.spreadOf[k]!;
          for (let i = 0; i < count; i++) await insert(targets[i % targets.length]!, layout.senderIds[k]!, i);
        }),
      );
      return { acked: c * count, ms: performance.now() - t0 };
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
