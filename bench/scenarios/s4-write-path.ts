import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { at, clientSpecs, type BenchContext, type UserClient } from "../lib/context";
import { createBenchDatabase, seedChannels, seedUsers, type BenchDatabase } from "../lib/seed";
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
 * insert of the same row with the same sequence assignment.
 */
export async function writePath(ctx: BenchContext): Promise<Row[]> {
  const db = await createBenchDatabase("postgres");
  try {
    const layout = await db.use((d) => seedWriteLayout(ctx, d));
    const parley = await measureParleyWrites(ctx, db, layout);
    postgresWrites = parley;
    const raw = await measureRawWrites(ctx, db.env.DATABASE_URL!, layout);
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

/** Each sender's own conversations: 1,000, or 100 in quick mode. */
export async function seedWriteLayout(
  ctx: BenchContext,
  d: Parameters<Parameters<BenchDatabase["use"]>[0]>[0],
): Promise<WriteLayout> {
  const spread = ctx.quick ? 100 : 1_000;
  const users = await seedUsers(d, SENDERS);
  const everyone = users.map((_, i) => i);
  const memberLists = [everyone, ...everyone.flatMap((k) => Array.from({ length: spread }, () => [k]))];
  const ids = await seedChannels(d, users, memberLists);
  const [hot, ...rest] = ids;
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

/** Persisted messages per second through Parley's socket event, for each shape and concurrency. */
export async function measureParleyWrites(
  ctx: BenchContext,
  db: BenchDatabase,
  layout: WriteLayout,
): Promise<WriteFigures> {
  const perSender = ctx.quick ? 50 : 500;
  const server = await startParley(db);
  const figures: WriteFigures = { spread: {}, hot: {} };
  try {
    const round = async (shape: Shape, c: number, count: number) => {
      // Only this round's senders are connected, so the hot conversation fans out to them alone.
      const pool = WorkerPool.start(Math.min(2, c));
      try {
        await pool.connect(at(layout.clients.slice(0, c), server.url), 16);
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
        if (sent.errors) ctx.log(`  ${sent.errors} sends failed: ${sent.errorSamples.join("; ")}`);
        return sent.acked / ((performance.now() - t0) / 1000);
      } finally {
        await pool.close();
      }
    };
    // Unmeasured: warms pools, caches and the JIT.
    await round("spread", SENDERS, 60);
    for (const shape of ["spread", "hot"] as const) {
      for (const c of CONCURRENCY) figures[shape][c] = await round(shape, c, perSender);
    }
  } finally {
    await server.close();
  }
  return figures;
}

/**
 * The floor under Parley's write path: the same row with the same sequence
 * assignment, in the fastest raw form (one statement: UPDATE ... RETURNING
 * feeding the INSERT), without Parley's membership and duplicate checks.
 */
async function measureRawWrites(ctx: BenchContext, databaseUrl: string, layout: WriteLayout): Promise<WriteFigures> {
  const perSender = ctx.quick ? 50 : 500;
  const sql = postgres(databaseUrl, { max: SENDERS, onnotice: () => {} });
  const figures: WriteFigures = { spread: {}, hot: {} };
  const insert = (conversationId: string, senderId: string, i: number) => sql`
    with next as (update conversations set last_seq = last_seq + 1 where id = ${conversationId} returning last_seq)
    insert into messages (conversation_id, seq, sender_id, client_message_id, text)
    select ${conversationId}, last_seq, ${senderId}, ${randomUUID()}, ${`${Date.now()} raw message ${i}`} from next`;
  const round = async (shape: Shape, c: number, count: number) => {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: c }, async (_, k) => {
        const targets = shape === "hot" ? [layout.hot] : layout.spreadOf[k]!;
        for (let i = 0; i < count; i++) await insert(targets[i % targets.length]!, layout.senderIds[k]!, i);
      }),
    );
    return (c * count) / ((performance.now() - t0) / 1000);
  };
  try {
    await round("spread", SENDERS, 60);
    for (const shape of ["spread", "hot"] as const) {
      for (const c of CONCURRENCY) figures[shape][c] = await round(shape, c, perSender);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return figures;
}
