import { randomUUID } from "node:crypto";
import type { Sync } from "@/lib/protocol";
import { LiteSocket } from "./lib/lite-socket";
import type { ClientSpec, ReceiveReport, SendResult, SendSpec, WorkerCommand, WorkerReply } from "./lib/protocol";

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
    const tracked: Tracked = { socket, spec, received, sync };
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
    case "close":
      for (const client of live()) client.socket.close();
      reply({ type: "closed" });
      process.exit(0);
  }
});
