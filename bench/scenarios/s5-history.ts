import postgres from "postgres";
import { io } from "socket.io-client";
import type { HistoryRequest, MessagePage } from "@/lib/protocol";
import type { BenchContext } from "../lib/context";
import { createBenchDatabase, seedChannels, seedMessages, seedUsers, type BenchDatabase } from "../lib/seed";
import { summarize, type Latency } from "../lib/stats";
import { row, startParley, type Row } from "../lib/targets";

export type HistoryFigures = {
  /** Over the socket, as the app reads history. */
  newest: Latency;
  deep: Latency;
  /** Over the HTTP route, as API clients read it. */
  httpNewest: Latency;
  channelMessages: number;
  totalMessages: number;
};

/** This run's Parley figures on PostgreSQL, for S8 to compare PGlite with. */
export let postgresHistory: HistoryFigures | null = null;

/**
 * S5: history. A channel with a million messages among ten million: the
 * newest page and a deep page through the real history API, against the bare
 * indexed page query (without the service's batching and membership check).
 */
export async function history(ctx: BenchContext): Promise<Row[]> {
  const db = await createBenchDatabase("postgres");
  try {
    const sizes = ctx.quick
      ? { channel: 20_000, others: 4, perOther: 20_000 }
      : { channel: 1_000_000, others: 9, perOther: 1_000_000 };
    const parley = await measureParleyHistory(ctx, db, sizes);
    postgresHistory = parley.figures;
    const raw = await measureRawHistory(ctx, db.env.DATABASE_URL!, parley.conversationId, parley.deepBefore);
    const label = `S5 history, ${parley.figures.channelMessages.toLocaleString("en")} in channel, ${parley.figures.totalMessages.toLocaleString("en")} in all`;
    const { newest, deep } = parley.figures;
    return [
      row(label, "newest page p50", "ms", raw.newest.p50, newest.p50),
      row(
        label,
        "newest page p99",
        "ms",
        raw.newest.p99,
        newest.p99,
        "<= raw + 5 ms",
        newest.p99 <= raw.newest.p99 + 5,
      ),
      row(label, "deep page p50", "ms", raw.deep.p50, deep.p50),
      row(label, "deep page p99", "ms", raw.deep.p99, deep.p99, "<= raw + 5 ms", deep.p99 <= raw.deep.p99 + 5),
      row(label, "newest page p99 over HTTP", "ms", raw.newest.p99, parley.figures.httpNewest.p99),
      row(
        label,
        "deep p99 / newest p99",
        "ratio",
        raw.deep.p99 / raw.newest.p99,
        deep.p99 / newest.p99,
        "<= 2",
        deep.p99 <= 2 * newest.p99,
      ),
    ];
  } finally {
    await db.drop();
  }
}

export type Sizes = { channel: number; others: number; perOther: number };

export async function measureParleyHistory(ctx: BenchContext, db: BenchDatabase, sizes: Sizes) {
  const t0 = performance.now();
  const { reader, conversationId } = await db.use(async (d) => {
    const users = await seedUsers(d, 1);
    const ids = await seedChannels(
      d,
      users,
      Array.from({ length: 1 + sizes.others }, () => [0]),
    );
    await seedMessages(d, ids[0]!, users[0]!.id, sizes.channel);
    for (const id of ids.slice(1)) await seedMessages(d, id, users[0]!.id, sizes.perOther);
    return { reader: users[0]!, conversationId: ids[0]! };
  });
  ctx.log(
    `  seeded ${(sizes.channel + sizes.others * sizes.perOther).toLocaleString("en")} messages in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const requests = ctx.quick ? 150 : 2_000;
  const deepBefore = Math.max(2, Math.floor(sizes.channel / 100));
  const server = await startParley(db);
  const socket = io(server.url, { transports: ["websocket"], extraHeaders: { cookie: reader.cookie } });
  try {
    await new Promise<void>((resolve, reject) => socket.once("connect", () => resolve()).once("connect_error", reject));
    const overSocket = async (request: HistoryRequest) => {
      const result = (await socket.emitWithAck("messages:history", request)) as { ok: boolean; data?: MessagePage };
      if (!result.ok || result.data?.messages.length !== 50) throw new Error("History page failed");
    };
    const overHttp = async () => {
      const response = await fetch(`${server.url}/api/conversations/${conversationId}/messages`, {
        headers: { cookie: reader.cookie },
      });
      const body = (await response.json()) as MessagePage;
      if (!response.ok || body.messages.length !== 50) throw new Error(`History page failed: ${response.status}`);
    };
    const figures: HistoryFigures = {
      newest: await timed(requests, () => overSocket({ conversationId })),
      deep: await timed(requests, () => overSocket({ conversationId, before: deepBefore })),
      httpNewest: await timed(requests, overHttp),
      channelMessages: sizes.channel,
      totalMessages: sizes.channel + sizes.others * sizes.perOther,
    };
    return { figures, conversationId, deepBefore };
  } finally {
    socket.close();
    await server.close();
  }
}

/** Latency of `work` over `count` sequential runs, after as many unmeasured ones to warm up. */
async function timed(count: number, work: () => Promise<unknown>): Promise<Latency> {
  for (let i = 0; i < count; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** The bare indexed page query, straight over postgres.js, timed the same way. */
async function measureRawHistory(ctx: BenchContext, databaseUrl: string, conversationId: string, deepBefore: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const requests = ctx.quick ? 150 : 2_000;
  const query = (before: number | null) => sql`
    select m.*, u.name as sender_name from messages m join users u on u.id = m.sender_id
    where m.conversation_id = ${conversationId} ${before === null ? sql`` : sql`and m.seq < ${before}`}
    order by m.seq desc limit 51`;
  try {
    return { newest: await timed(requests, () => query(null)), deep: await timed(requests, () => query(deepBefore)) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
