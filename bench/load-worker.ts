import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { ClientSpec, ReceiveReport, SendResult, SendSpec, WorkerCommand, WorkerReply } from "./lib/protocol";

/**
 * A load generator process: it holds socket.io-client connections, sends on
 * command, and records what arrives. Latencies come from timestamps written
 * into the message text, read against the same clock in another process.
 */
type Tracked = { socket: Socket; spec: ClientSpec; received: Map<string, { total: number; seqs: Set<number> }> };

const now = () => performance.timeOrigin + performance.now();
let clients: Tracked[] = [];
let latencies: number[] = [];
let disconnects = 0;

function reply(message: WorkerReply): void {
  process.send?.(message);
}

async function connect(url: string, specs: ClientSpec[], concurrency: number): Promise<void> {
  const started = now();
  let failed = 0;
  let next = 0;
  const openOne = async () => {
    for (let i = next++; i < specs.length; i = next++) {
      const spec = specs[i]!;
      try {
        clients.push(await open(url, spec));
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, openOne));
  reply({ type: "connected", connected: clients.length, failed, ms: now() - started });
}

function open(url: string, spec: ClientSpec): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: spec.cookie ? { cookie: spec.cookie } : undefined,
      auth: { rooms: spec.rooms, userId: spec.userId },
    });
    const tracked: Tracked = { socket, spec, received: new Map() };
    socket.on("message:new", (message: { conversationId: string; seq: number; text: string }) => {
      const sentAt = Number(message.text.slice(0, message.text.indexOf(" ")));
      if (Number.isFinite(sentAt)) latencies.push(now() - sentAt);
      let room = tracked.received.get(message.conversationId);
      if (!room) tracked.received.set(message.conversationId, (room = { total: 0, seqs: new Set() }));
      room.total += 1;
      room.seqs.add(message.seq);
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

async function send(senders: SendSpec[]): Promise<void> {
  const result: SendResult = { type: "sent", acked: 0, errors: 0, ackLatencies: [], ackedSeqs: {} };
  await Promise.all(
    senders.map(async (sender) => {
      const { socket } = clients[sender.client]!;
      for (let i = 0; i < sender.count; i++) {
        const sentAt = now();
        try {
          const ack = (await socket.timeout(30_000).emitWithAck("message:send", {
            conversationId: sender.conversationId,
            clientMessageId: randomUUID(),
            text: `${sentAt} bench message ${i}`,
          })) as { ok: boolean; data?: { seq: number } };
          if (!ack.ok || !ack.data) throw new Error("refused");
          result.ackLatencies.push(now() - sentAt);
          result.acked += 1;
          (result.ackedSeqs[sender.conversationId] ??= []).push(ack.data.seq);
        } catch {
          result.errors += 1;
        }
        if (sender.intervalMs > 0) await new Promise((r) => setTimeout(r, sender.intervalMs));
      }
    }),
  );
  reply(result);
}

function report(): void {
  const sockets = clients.map(({ spec, received }) => ({
    rooms: spec.rooms,
    received: Object.fromEntries([...received].map(([id, r]) => [id, { total: r.total, distinct: r.seqs.size }])),
  }));
  const message: ReceiveReport = { type: "report", latencies, sockets, disconnects };
  latencies = [];
  for (const client of clients) client.received.clear();
  reply(message);
}

process.on("message", (command: WorkerCommand) => {
  switch (command.cmd) {
    case "connect":
      void connect(command.url, command.clients, command.concurrency);
      break;
    case "send":
      void send(command.senders);
      break;
    case "report":
      report();
      break;
    case "drop":
      for (const client of clients) client.socket.close();
      clients = [];
      reply({ type: "dropped" });
      break;
    case "close":
      for (const client of clients) client.socket.close();
      reply({ type: "closed" });
      process.exit(0);
  }
});
