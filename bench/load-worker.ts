import { randomUUID } from "node:crypto";
import type { Sync } from "@/lib/protocol";
import { LiteSocket } from "./lib/lite-socket";
import type {
  ClientSpec,
  ReceiveReport,
  SendResult,
  SendSpec,
  StormAction,
  StormActionResult,
  StormReport,
  StormSent,
  StormState,
  WorkerCommand,
  WorkerReply,
} from "./lib/protocol";

/**
 * A load generator process: it holds Socket.IO connections (see
 * bench/lib/lite-socket.ts), sends on command, and records what arrives.
 * Latencies come from timestamps written into the message text, read against
 * the same clock in another process.
 */
type Tracked = {
  socket: LiteSocket;
  spec: ClientSpec;
  received: Map<string, { total: number; seqs: Set<number> }>;
  /** Parley's conversations:sync after connecting; the baseline never sends it. */
  sync: Promise<Sync>;
  changes: HeardChanges;
};

/** What a socket has heard through `changes` since the last storm report (S10). */
type HeardChanges = {
  frames: number;
  /** Each reaction or edit (a StormSent key) when it first arrived. */
  firstHeard: Map<string, number>;
  /** Each message's reactions and text as the latest change had them (StormState). */
  reactions: StormState;
  texts: StormState;
};

type ChangeEvent = {
  data:
    | { kind: "reactions"; conversationId: string; seq: number; reactions: { emoji: string; userIds: string[] }[] }
    | { kind: "message"; message: { conversationId: string; seq: number; text: string } }
    | { kind: string };
};

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
const clients: (Tracked | undefined)[] = [];
const live = () => clients.filter((c): c is Tracked => c !== undefined);
let latencies: number[] = [];
let disconnects = 0;

function reply(message: WorkerReply): void {
  process.send?.(message);
}

async function connect(specs: ClientSpec[], concurrency: number): Promise<void> {
  const started = now();
  let failed = 0;
  let next = 0;
  const openOne = async () => {
    for (let i = next++; i < specs.length; i = next++) {
      const spec = specs[i]!;
      try {
        // By index, not in order of completion: send plans name clients by their index.
        clients[i] = await open(spec);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, openOne));
  reply({ type: "connected", connected: specs.length - failed, failed, ms: now() - started });
}

/** Opens a client's socket; a reconnecting client keeps what it had received. */
function open(spec: ClientSpec, received: Tracked["received"] = new Map()): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = new LiteSocket(spec.url, { cookie: spec.cookie, auth: { rooms: spec.rooms, userId: spec.userId } });
    const sync = new Promise<Sync>((resolve) => socket.once("conversations:sync", (states) => resolve(states as Sync)));
    const changes: HeardChanges = { frames: 0, firstHeard: new Map(), reactions: {}, texts: {} };
    const tracked: Tracked = { socket, spec, received, sync, changes };
    socket.on("changes", (payload) => hear(changes, payload as ChangeEvent[], now()));
    socket.on("messages:new", (payload) => {
      const arrivedAt = now();
      for (const message of payload as { conversationId: string; seq: number; text: string }[]) {
        const sentAt = Number(message.text.slice(0, message.text.indexOf(" ")));
        if (Number.isFinite(sentAt)) latencies.push(arrivedAt - sentAt);
        record(tracked, message.conversationId, message.seq);
      }
    });
    socket.once("connect", () => {
      socket.on("disconnect", () => (disconnects += 1));
      resolve(tracked);
    });
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/**
 * A reaction counts as heard with the first state of its message that holds it, whether that
 * change was made for it or for a later one; an edit with the first change that carries its text.
 */
function hear(heard: HeardChanges, changes: ChangeEvent[], arrivedAt: number): void {
  heard.frames += 1;
  const first = (key: string) => {
    if (!heard.firstHeard.has(key)) heard.firstHeard.set(key, arrivedAt);
  };
  for (const { data } of changes) {
    if ("reactions" in data) {
      const at = `${data.conversationId} ${data.seq}`;
      heard.reactions[at] = JSON.stringify(data.reactions);
      for (const { emoji, userIds } of data.reactions) for (const userId of userIds) first(`${at} ${emoji} ${userId}`);
    } else if ("message" in data) {
      const { conversationId, seq, text } = data.message;
      heard.texts[`${conversationId} ${seq}`] = text;
      first(`${conversationId} ${seq} ${text}`);
    }
  }
}

function record(client: Tracked, conversationId: string, seq: number): void {
  let room = client.received.get(conversationId);
  if (!room) client.received.set(conversationId, (room = { total: 0, seqs: new Set() }));
  room.total += 1;
  room.seqs.add(seq);
}

/**
 * The reconnect storm: every dropped client comes back after a random delay
 * and, with catchUp, fetches everything after the newest sequence number it
 * holds in each conversation that conversations:sync shows has moved on.
 */
const STORM_ATTEMPTS = 6;

async function storm(jitterMs: number, catchUp: boolean): Promise<void> {
  const started = now();
  let failed = 0;
  const connectMs: number[] = [];
  await Promise.all(
    clients.map(async (client, i) => {
      if (!client) return;
      await sleep(Math.random() * jitterMs);
      const turn = now();
      // Like socket.io-client's own reconnection: try again with backoff, a bounded number of times.
      for (let attempt = 0; ; attempt++) {
        try {
          const back = await open(client.spec, client.received);
          connectMs.push(now() - turn);
          clients[i] = back;
          if (catchUp) await catchUpChanged(back);
          return;
        } catch {
          clients[i]?.socket.close();
          if (attempt === STORM_ATTEMPTS - 1) {
            failed += 1;
            return;
          }
          await sleep(1_000 * 2 ** attempt * (0.5 + Math.random()));
        }
      }
    }),
  );
  reply({ type: "stormed", back: live().length - failed, failed, ms: now() - started, connectMs });
}

/** As the app does: only the conversations whose lastSeq is past what this client holds. */
async function catchUpChanged(client: Tracked): Promise<void> {
  const states = await Promise.race([
    client.sync,
    sleep(30_000).then(() => {
      throw new Error("no conversations:sync");
    }),
  ]);
  for (const { id, lastSeq } of states.conversations) {
    const held = client.received.get(id)?.seqs;
    if (lastSeq > (held && held.size > 0 ? Math.max(...held) : 0)) await catchUpRoom(client, id);
  }
}

async function catchUpRoom(client: Tracked, conversationId: string): Promise<void> {
  for (let more = true; more;) {
    const held = client.received.get(conversationId)?.seqs;
    const after = held && held.size > 0 ? Math.max(...held) : 0;
    const result = (await client.socket.emitWithAck(
      "messages:history",
      { conversationId, after, limit: 200 },
      30_000,
    )) as { ok: boolean; data?: { messages: { seq: number }[]; hasMore: boolean } };
    if (!result.ok || !result.data) throw new Error("catch-up refused");
    for (const message of result.data.messages) record(client, conversationId, message.seq);
    more = result.data.hasMore;
  }
}

async function send(senders: SendSpec[]): Promise<void> {
  const result: SendResult = { type: "sent", acked: 0, errors: 0, errorSamples: [], ackLatencies: [], ackedSeqs: {} };
  await Promise.all(
    senders.map(async (sender) => {
      const client = clients[sender.client];
      const socket = client?.socket;
      if (!client || !socket) {
        result.errors += sender.count;
        return;
      }
      await sleep(sender.startDelayMs);
      for (let i = 0; i < sender.count; i++) {
        const conversationId = sender.conversationIds[i % sender.conversationIds.length]!;
        const sentAt = now();
        try {
          const ack = (await socket.emitWithAck(
            "message:send",
            { conversationId, clientMessageId: randomUUID(), text: `${sentAt} bench message ${i}` },
            30_000,
          )) as { ok: boolean; data?: { seq: number }; error?: { message: string } };
          if (!ack.ok || !ack.data) throw new Error(ack.error?.message ?? "refused");
          result.ackLatencies.push(now() - sentAt);
          result.acked += 1;
          (result.ackedSeqs[conversationId] ??= []).push(ack.data.seq);
          // The sender's copy arrives in the ack; the event goes to everyone else.
          record(client, conversationId, ack.data.seq);
        } catch (error) {
          result.errors += 1;
          if (result.errorSamples.length < 5) result.errorSamples.push((error as Error).message);
        }
        // No pause after the last one: the round ends when its last message is acked.
        if (i < sender.count - 1) await sleep(sender.intervalMs);
      }
    }),
  );
  reply(result);
}

/** Each action at its delay, all at once: a storm from many people. */
async function act(actions: StormAction[]): Promise<void> {
  const results = await Promise.all(
    actions.map(async (action): Promise<StormActionResult> => {
      const client = clients[action.client];
      if (!client) return { ok: false, error: "no such client" };
      await sleep(action.delayMs);
      const sentAt = now();
      const { conversationId } = action;
      const [event, payload, key] =
        action.kind === "post"
          ? ["message:send", { conversationId, clientMessageId: randomUUID(), text: "storm target" }, ""]
          : action.kind === "react"
            ? [
                "reaction:add",
                { conversationId, seq: action.seq, emoji: action.emoji },
                `${conversationId} ${action.seq} ${action.emoji} ${client.spec.userId}`,
              ]
            : [
                "message:edit",
                { conversationId, seq: action.seq, text: `${sentAt} edited` },
                `${conversationId} ${action.seq} ${sentAt} edited`,
              ];
      try {
        const ack = (await client.socket.emitWithAck(event, payload, 30_000)) as {
          ok: boolean;
          data?: { seq?: number };
          error?: { message: string };
        };
        if (!ack.ok) return { ok: false, error: ack.error?.message ?? "refused" };
        const ackMs = now() - sentAt;
        if (action.kind !== "post") return { ok: true, conversationId, seq: action.seq, key, sentAt, ackMs };
        const seq = ack.data?.seq ?? 0;
        // The sender's copy arrives in the ack; the event goes to everyone else.
        record(client, conversationId, seq);
        return { ok: true, conversationId, seq, key, sentAt, ackMs };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    }),
  );
  reply({ type: "acted", results });
}

/** Latency, loss and final state of a storm, per member socket; then a clean slate for the next. */
function stormReport(sent: StormSent[], finals: StormState, kind: "reactions" | "message"): void {
  const message: StormReport = { type: "storm-report", frames: [], latencies: [], lost: 0, differ: 0 };
  for (const { spec, changes } of live()) {
    message.frames.push(changes.frames);
    for (const { conversationId, key, sentAt } of sent) {
      if (!spec.rooms.includes(conversationId)) continue;
      const heardAt = changes.firstHeard.get(key);
      if (heardAt === undefined) message.lost += 1;
      else message.latencies.push(heardAt - sentAt);
    }
    const held = kind === "reactions" ? changes.reactions : changes.texts;
    if (Object.entries(finals).some(([at, state]) => held[at] !== state)) message.differ += 1;
    Object.assign(changes, { frames: 0, firstHeard: new Map(), reactions: {}, texts: {} });
  }
  reply(message);
}

async function history(client: number, conversationId: string, after: number, limit: number): Promise<void> {
  const socket = clients[client]?.socket;
  const answer = (await socket?.emitWithAck("messages:history", { conversationId, after, limit }, 30_000)) as
    { ok: boolean; data?: { messages: { seq: number; text: string; reactions: unknown }[] } } | undefined;
  reply({ type: "history", messages: answer?.ok ? (answer.data?.messages ?? []) : [] });
}

function report(): void {
  const sockets = live().map(({ spec, received }) => ({
    rooms: spec.rooms,
    received: Object.fromEntries([...received].map(([id, r]) => [id, { total: r.total, distinct: r.seqs.size }])),
  }));
  const message: ReceiveReport = { type: "report", latencies, sockets, disconnects };
  latencies = [];
  for (const client of live()) client.received.clear();
  reply(message);
}

process.on("message", (command: WorkerCommand) => {
  switch (command.cmd) {
    case "connect":
      void connect(command.clients, command.concurrency);
      break;
    case "send":
      void send(command.senders);
      break;
    case "report":
      report();
      break;
    case "count":
      reply({
        type: "count",
        total: live().reduce((n, c) => n + [...c.received.values()].reduce((m, r) => m + r.total, 0), 0),
      });
      break;
    case "drop":
      // Sockets close; clients keep their specs and what they received, for the storm.
      for (const client of live()) client.socket.close();
      reply({ type: "dropped" });
      break;
    case "disconnect":
      // A fresh start for the next connect: its clients are numbered from 0 again.
      for (const client of live()) client.socket.close();
      clients.length = 0;
      reply({ type: "disconnected" });
      break;
    case "storm":
      void storm(command.jitterMs, command.catchUp);
      break;
    case "act":
      void act(command.actions);
      break;
    case "storm-seen":
      reply({
        type: "storm-seen",
        total: live().reduce((n, c) => n + c.changes.firstHeard.size, 0),
      });
      break;
    case "storm-report":
      stormReport(command.sent, command.finals, command.kind);
      break;
    case "history":
      void history(command.client, command.conversationId, command.after, command.limit);
      break;
    case "close":
      for (const client of live()) client.socket.close();
      reply({ type: "closed" });
      process.exit(0);
  }
});
