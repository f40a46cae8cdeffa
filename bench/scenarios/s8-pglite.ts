import type { BenchContext } from "../lib/context";
import { createBenchDatabase } from "../lib/seed";
import { row, type Row } from "../lib/targets";
import { CONCURRENCY, measureParleyWrites, postgresWrites, seedWriteLayout, type WriteFigures } from "./s4-write-path";
import { measureParleyHistory, postgresHistory, type HistoryFigures, type Sizes } from "./s5-history";

/**
 * S8: the embedded database. S4's write path and S5's history on PGlite,
 * reported as a ratio to the same figures on PostgreSQL from this run (or
 * measured here when S4 or S5 did not run).
 */
export async function pglite(ctx: BenchContext): Promise<Row[]> {
  // PGlite fills a million rows slowly and has no use for nine million more: one channel only.
  const sizes: Sizes = ctx.quick
    ? { channel: 20_000, others: 0, perOther: 0 }
    : { channel: 1_000_000, others: 0, perOther: 0 };
  const pgWrites =
    postgresWrites ??
    (await onDatabase("postgres", async (db) =>
      measureParleyWrites(ctx, db, await db.use((d) => seedWriteLayout(ctx, d))),
    ));
  const pgHistory =
    postgresHistory ??
    (await onDatabase("postgres", async (db) => (await measureParleyHistory(ctx, db, sizes)).figures));
  // One PGlite database for both: creating and migrating one takes seconds. The history channel
  // comes first and is the history the writes find, so no second one is filled.
  const lite = await onDatabase("pglite", async (db) => {
    const history = (await measureParleyHistory(ctx, db, sizes)).figures;
    const writes = await measureParleyWrites(ctx, db, await db.use((d) => seedWriteLayout(ctx, d, 0)));
    return { writes, history };
  });
  return [...writeRows(pgWrites, lite.writes), ...historyRows(pgHistory, lite.history)];
}

async function onDatabase<T>(
  kind: "postgres" | "pglite",
  work: (db: Awaited<ReturnType<typeof createBenchDatabase>>) => Promise<T>,
) {
  const db = await createBenchDatabase(kind);
  try {
    return await work(db);
  } finally {
    await db.drop();
  }
}

function writeRows(pg: WriteFigures, lite: WriteFigures): Row[] {
  return (["spread", "hot"] as const).flatMap((shape) =>
    CONCURRENCY.map((c) =>
      row(
        `S8 PGlite writes (baseline: PostgreSQL), ${shape}`,
        `${c} concurrent senders`,
        "msgs/s",
        pg[shape][c]!,
        lite[shape][c]!,
        "report",
      ),
    ),
  );
}

function historyRows(pg: HistoryFigures, lite: HistoryFigures): Row[] {
  const label = `S8 PGlite history (baseline: PostgreSQL), ${lite.channelMessages.toLocaleString("en")} in channel`;
  return [
    row(label, "newest page p99", "ms", pg.newest.p99, lite.newest.p99, "report"),
    row(label, "deep page p99", "ms", pg.deep.p99, lite.deep.p99, "report"),
  ];
}
