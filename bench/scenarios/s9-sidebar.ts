import postgres from "postgres";
import {
  CHANGES_PAGE_SIZE,
  parseJsonBytes,
  type Ack,
  type ChangePage,
  type JsonBytes,
  type Sidebar,
  type Sync,
} from "@/lib/protocol";
import { CHANGES_AFTER } from "@/server/changes/list-changes";
import { SIDEBAR } from "@/server/conversations/list-my-conversations";
import type { BenchContext } from "../lib/context";
import { LiteSocket } from "../lib/lite-socket";
import type { ServerProcess } from "../lib/processes";
import { createBenchDatabase, type BenchDatabase } from "../lib/seed";
import { personCookie, planSidebar, seedSidebar, unreadPlan, type FeedState } from "../lib/seed-sidebar";
import { summarize, type Latency } from "../lib/stats";
import { independentOf, row, startParley, type Row } from "../lib/targets";

/** The unread totals compared: the same workspace, ten times the unread messages. */
const UNREAD = [5_000, 50_000] as const;

type Side = {
  unread: number;
  personId: string;
  db: BenchDatabase;
  feed: FeedState;
  server: ServerProcess;
  raw: postgres.Sql;
  /** The streams a client that held `feed.held` asks about after `conversations:sync`. */
  streams: { id: string; after: number }[];
};

type Figures = {
  sidebar: Latency;
  httpSidebar: Latency;
  rawSidebar: Latency;
  /** The raw statement again, in turns with the HTTP loads. */
  rawHttpSidebar: Latency;
  changes: Latency;
  rawChanges: Latency;
  reconnect: Latency;
};

/**
 * S9: the sidebar of a person in 500 conversations (100 channels, 300 DMs,
 * 100 groups), with 5,000 and with 50,000 unread messages, in two databases
 * alike but for those messages, each with its own server. Measures the
 * sidebar load (`conversations:list` on a connected socket, as the app reads
 * it once connected; GET /api/conversations, its first read, is reported) and the reconnect catch-up
 * (`changes:list` for the streams `conversations:sync` shows past what the
 * client held), each against its raw SQL on PostgreSQL; the works take turns
 * request by request, so that the machine's drift falls on all alike.
 */
export async function sidebar(ctx: BenchContext): Promise<Row[]> {
  const counts = ctx.quick
    ? { requests: 100, warmUp: 20, reconnects: 30 }
    : { requests: 1_000, warmUp: 100, reconnects: 300 };
  const layout = planSidebar();
  const cookie = await personCookie(layout);
  const personId = layout.people[0]!.id;
  const sides: Side[] = [];
  try {
    for (const unread of UNREAD) {
      const t0 = performance.now();
      const db = await createBenchDatabase("postgres");
      const feed = await db.use((d) => seedSidebar(d, layout, unreadPlan(layout, unread)));
      ctx.log(
        `  seeded ${unread.toLocaleString("en")} unread, ${feed.expectedChanges} changes to catch up on, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      sides.push({ unread, personId, db, feed, server: null!, raw: null!, streams: [] });
    }
    const servers = await Promise.all(sides.map((s) => startParley(s.db)));
    sides.forEach((s, i) => {
      s.server = servers[i]!;
      // The server's connection settings, so both sides run the same plans.
      s.raw = postgres(s.db.env.DATABASE_URL!, {
        max: 1,
        onnotice: () => {},
        connection: { plan_cache_mode: "force_generic_plan", jit: "off" },
      });
    });
    const sockets = await Promise.all(sides.map((s) => openCaughtUp(s, cookie)));

    // The route's one statement, which builds the sidebar's JSON.
    const rawSidebar = (s: Side) => async () => {
      await s.raw.unsafe(SIDEBAR, [personId], { prepare: true });
    };
    const sidebarTimes = await interleaved(counts.requests, counts.warmUp, [
      ...sides.map((s, i) => () => listSidebar(sockets[i]!, s)),
      ...sides.map(rawSidebar),
    ]);
    // A phase of its own: the route's garbage (Next compresses the 250 KB body) would otherwise bring the
    // server's collector pauses into the socket's figures. Each phase starts from a collected heap, so
    // that none pays for the garbage of the one before.
    await collectGarbage(sides);
    const httpTimes = await interleaved(counts.requests, counts.warmUp, [
      ...sides.map((s) => () => loadSidebar(s, cookie)),
      ...sides.map(rawSidebar),
    ]);
    // The service's one statement, which builds the page's JSON; what it reads is checked once, before.
    const rawChanges = (s: Side) => async () =>
      (await s.raw.unsafe(
        CHANGES_AFTER,
        [s.streams.map((x) => x.id), s.streams.map((x) => x.after), CHANGES_PAGE_SIZE, personId] as never[],
        { prepare: true },
      )) as unknown as { body: string }[];
    for (const s of sides) {
      const [{ body }] = (await rawChanges(s)()) as [{ body: string }];
      const page = JSON.parse(body) as ChangePage;
      const changes = page.streams.reduce((n, stream) => n + stream.changes.length, 0);
      if (changes !== s.feed.expectedChanges) throw new Error(`Raw catch-up read ${changes} changes`);
    }
    await collectGarbage(sides);
    const changeTimes = await interleaved(counts.requests, counts.warmUp, [
      ...sides.map((s, i) => () => listChanges(sockets[i]!, s)),
      ...sides.map(rawChanges),
    ]);
    for (const socket of sockets) socket.close();
    const reconnectTimes = await interleaved(
      counts.reconnects,
      Math.min(counts.warmUp, counts.reconnects),
      sides.map((s) => async () => (await openCaughtUp(s, cookie)).close()),
    );
    const figures: Figures[] = sides.map((_, i) => ({
      sidebar: sidebarTimes[i]!,
      rawSidebar: sidebarTimes[sides.length + i]!,
      httpSidebar: httpTimes[i]!,
      rawHttpSidebar: httpTimes[sides.length + i]!,
      changes: changeTimes[i]!,
      rawChanges: changeTimes[sides.length + i]!,
      reconnect: reconnectTimes[i]!,
    }));
    return rowsOf(sides, figures);
  } finally {
    for (const s of sides) {
      await s.raw?.end({ timeout: 5 });
      await s.server?.close();
      await s.db.drop();
    }
  }
}

function rowsOf(sides: Side[], figures: Figures[]): Row[] {
  const label = "S9 sidebar, 500 conversations";
  const rows: Row[] = [];
  sides.forEach((s, i) => {
    const f = figures[i]!;
    const at = `${s.unread.toLocaleString("en")} unread`;
    rows.push(
      row(label, `sidebar load p50, ${at}`, "ms", f.rawSidebar.p50, f.sidebar.p50),
      row(
        label,
        `sidebar load p99, ${at}`,
        "ms",
        f.rawSidebar.p99,
        f.sidebar.p99,
        "<= raw + 5 ms",
        f.sidebar.p99 <= f.rawSidebar.p99 + 5,
      ),
      row(label, `sidebar over HTTP p50, ${at}`, "ms", f.rawHttpSidebar.p50, f.httpSidebar.p50),
      row(label, `sidebar over HTTP p99, ${at}`, "ms", f.rawHttpSidebar.p99, f.httpSidebar.p99),
      row(label, `catch-up changes:list p50, ${at}`, "ms", f.rawChanges.p50, f.changes.p50),
      row(
        label,
        `catch-up changes:list p99, ${at}`,
        "ms",
        f.rawChanges.p99,
        f.changes.p99,
        "<= raw + 5 ms",
        f.changes.p99 <= f.rawChanges.p99 + 5,
      ),
      row(label, `connect to caught up p50, ${at}`, "ms", null, f.reconnect.p50),
      row(label, `connect to caught up p99, ${at}`, "ms", null, f.reconnect.p99),
    );
  });
  const [small, large] = figures as [Figures, Figures];
  const grows = (metric: string, at5k: number, at50k: number) =>
    row(label, `${metric} p99, 50,000 vs 5,000 unread`, "ms", at5k, at50k, ...independentOf(at5k, at50k));
  rows.push(
    grows("sidebar load", small.sidebar.p99, large.sidebar.p99),
    grows("raw sidebar statement", small.rawSidebar.p99, large.rawSidebar.p99),
    grows("catch-up changes:list", small.changes.p99, large.changes.p99),
  );
  return rows;
}

/** A full collection on each server (the probe's), between phases. */
async function collectGarbage(sides: Side[]): Promise<void> {
  await Promise.all(sides.map((s) => s.server.probe()));
}

/** `conversations:list` as the app reads the sidebar once connected; checked every time. */
async function listSidebar(socket: LiteSocket, side: Side): Promise<void> {
  const answer = (await socket.emitWithAck("conversations:list", {}, 10_000)) as Ack<JsonBytes>;
  if (!answer.ok) throw new Error(`conversations:list failed: ${answer.error.message}`);
  checkSidebar(parseJsonBytes(answer.data) as Sidebar, side);
}

/** GET /api/conversations as the app loads it first; the body is read in full, and checked. */
async function loadSidebar(side: Side, cookie: string): Promise<void> {
  const response = await fetch(`${side.server.url}/api/conversations`, { headers: { cookie } });
  const body = await response.text();
  if (!response.ok) throw new Error(`Sidebar load failed: ${response.status} ${body.slice(0, 200)}`);
  checkSidebar(JSON.parse(body) as Sidebar, side);
}

function checkSidebar(sidebar: Sidebar, side: Side): void {
  const unread = sidebar.conversations.reduce((n, c) => n + c.lastSeq - c.lastReadSeq, 0);
  if (sidebar.conversations.length !== 500 || unread !== side.unread) {
    throw new Error(`Sidebar has ${sidebar.conversations.length} conversations and ${unread} unread`);
  }
}

/**
 * A client that held the positions from before the changes connects, hears
 * `conversations:sync`, and asks for every stream that moved past them; resolves
 * once it has every change.
 */
async function openCaughtUp(side: Side, cookie: string): Promise<LiteSocket> {
  const socket = new LiteSocket(side.server.url, { cookie, auth: {} });
  const sync = await new Promise<Sync>((resolve, reject) => {
    socket.once("conversations:sync", (payload) => resolve(payload as Sync));
    socket.once("connect_error", reject);
  });
  const positions = [
    { id: side.personId, seq: sync.changeSeq },
    ...sync.conversations.map((c) => ({ id: c.id, seq: c.changeSeq })),
  ];
  side.streams = positions
    .filter((p) => p.seq > (side.feed.held.get(p.id) ?? 0))
    .map((p) => ({ id: p.id, after: side.feed.held.get(p.id) ?? 0 }));
  await listChanges(socket, side);
  return socket;
}

/** One `changes:list` per 100 streams, as the protocol bounds a request, all at once. */
async function listChanges(socket: LiteSocket, side: Side): Promise<void> {
  const requests = [];
  for (let i = 0; i < side.streams.length; i += 100) {
    requests.push(socket.emitWithAck("changes:list", { streams: side.streams.slice(i, i + 100) }, 10_000));
  }
  const answers = (await Promise.all(requests)) as Ack<JsonBytes>[];
  let received = 0;
  for (const answer of answers) {
    if (!answer.ok) throw new Error(`changes:list failed: ${answer.error.message}`);
    for (const stream of (parseJsonBytes(answer.data) as ChangePage).streams) {
      if (stream.hasMore) throw new Error("changes:list left changes for another page");
      received += stream.changes.length;
    }
  }
  if (received !== side.feed.expectedChanges) {
    throw new Error(`Caught up on ${received} changes of ${side.feed.expectedChanges}`);
  }
}

/**
 * Each of `works` `count` times in turn, the turn starting one further along
 * each round, after `warmUp` unmeasured rounds; one latency per work.
 */
async function interleaved(count: number, warmUp: number, works: (() => Promise<unknown>)[]): Promise<Latency[]> {
  const samples = works.map((): number[] => []);
  for (let round = 0; round < warmUp + count; round++) {
    for (let k = 0; k < works.length; k++) {
      const w = (round + k) % works.length;
      const started = performance.now();
      await works[w]!();
      if (round >= warmUp) samples[w]!.push(performance.now() - started);
    }
  }
  return samples.map(summarize);
}
