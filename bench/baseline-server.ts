import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { engineOptions, listenBacklog } from "@/server/realtime/engine-options";

/**
 * The bare Socket.IO server Parley is measured against: the same engine
 * options and add-ons, no auth and no database. A client names its rooms in
 * the handshake; "message:send" is emitted to the rest of the room and acked,
 * with a payload shaped like Parley's, numbered per room in memory.
 */
const httpServer = createServer((_req, res) => {
  res.writeHead(404).end();
});
const io = new Server(httpServer, engineOptions);
const seqs = new Map<string, number>();
// Several baseline processes number a room's messages apart: process k of n takes k+1, k+1+n, ...
const seqStride = Number(process.env.SEQ_STRIDE ?? 1);
const seqOffset = Number(process.env.SEQ_OFFSET ?? 0);
if (process.env.REDIS_URL) await useRedis(process.env.REDIS_URL, process.env.BENCH_ADAPTER ?? "pubsub");

io.on("connection", (socket) => {
  const auth = socket.handshake.auth as { rooms?: string[]; userId?: string };
  const userId = auth.userId ?? socket.id;
  void socket.join((auth.rooms ?? []).map((room) => `conversation:${room}`));
  socket.on("message:send", (input: { conversationId: string; clientMessageId: string; text: string }, ack) => {
    const count = (seqs.get(input.conversationId) ?? 0) + 1;
    seqs.set(input.conversationId, count);
    const seq = (count - 1) * seqStride + seqOffset + 1;
    const message = {
      id: String(seq),
      conversationId: input.conversationId,
      seq,
      sender: { id: userId, name: "Bench User" },
      clientMessageId: input.clientMessageId,
      text: input.text,
      createdAt: new Date().toISOString(),
      editedAt: null,
    };
    // Emit to everyone else, then ack the sender: what Parley does.
    socket.to(`conversation:${input.conversationId}`).emit("messages:new", [message]);
    if (typeof ack === "function") ack({ ok: true, data: message });
  });
});

httpServer.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1", backlog: listenBacklog }, () => {
  console.log(`Baseline listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
});
/**
 * Two or more baseline processes share rooms through Redis: pub/sub (what
 * Parley uses) or streams, so S6 can compare the adapters with nothing else.
 */
async function useRedis(url: string, kind: string): Promise<void> {
  const { createClient } = await import("redis");
  const client = createClient({ url });
  await client.connect();
  if (kind === "streams") {
    const { createAdapter } = await import("@socket.io/redis-streams-adapter");
    io.adapter(createAdapter(client));
    return;
  }
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const subscriber = client.duplicate();
  await subscriber.connect();
  io.adapter(createAdapter(client, subscriber));
}

process.on("SIGTERM", () => {
  void io.close();
  process.exit(0);
});
