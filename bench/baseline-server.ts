import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { engineOptions, listenBacklog } from "@/server/realtime/engine-options";

/**
 * The bare Socket.IO server Parley is measured against: the same engine
 * options and add-ons, no auth and no database. A client names its rooms in
 * the handshake; "message:send" is emitted to the rest of the room and acked,
 * with a payload shaped like Parley's, numbered per room in memory. Reactions
 * and edits (S10) change the message in memory and go to the whole room at
 * once, one `changes` frame each, in Parley's shape; "messages:history"
 * answers `after` a sequence number so that S10 can read the final state.
 */
const httpServer = createServer((_req, res) => {
  res.writeHead(404).end();
});
const io = new Server(httpServer, engineOptions);
const seqs = new Map<string, number>();
const messagesByRoom = new Map<string, Map<number, BareMessage>>();
/** Each room's change stream position, as Parley numbers a conversation's changes. */
const changeSeqs = new Map<string, number>();
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
    const message: BareMessage = {
      id: String(seq),
      conversationId: input.conversationId,
      seq,
      sender: { id: userId, name: "Bench User" },
      clientMessageId: input.clientMessageId,
      text: input.text,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      reactions: [],
      linkPreview: null,
    };
    let room = messagesByRoom.get(input.conversationId);
    if (!room) messagesByRoom.set(input.conversationId, (room = new Map()));
    room.set(seq, message);
    // Emit to everyone else, then ack the sender: what Parley does.
    socket.to(`conversation:${input.conversationId}`).emit("messages:new", [message]);
    if (typeof ack === "function") ack({ ok: true, data: message });
  });
  socket.on("reaction:add", (input: MessageRef & { emoji: string }, ack) => {
    const message = messagesByRoom.get(input.conversationId)?.get(input.seq);
    if (!message) return answer(ack, null);
    const reaction = message.reactions.find((r) => r.emoji === input.emoji);
    if (reaction?.userIds.includes(userId)) return answer(ack, message.reactions);
    if (reaction) reaction.userIds.push(userId);
    else message.reactions.push({ emoji: input.emoji, userIds: [userId] });
    const reactions = structuredClone(message.reactions);
    emitChange(message, { kind: "reactions", conversationId: message.conversationId, seq: message.seq, reactions });
    answer(ack, reactions);
  });
  socket.on("message:edit", (input: MessageRef & { text: string }, ack) => {
    const message = messagesByRoom.get(input.conversationId)?.get(input.seq);
    if (!message || message.sender.id !== userId) return answer(ack, null);
    message.text = input.text;
    message.editedAt = new Date().toISOString();
    emitChange(message, { kind: "message", message });
    answer(ack, message);
  });
  socket.on("messages:history", (input: { conversationId: string; after: number; limit: number }, ack) => {
    const room = [...(messagesByRoom.get(input.conversationId)?.values() ?? [])].filter((m) => m.seq > input.after);
    answer(ack, { messages: room.slice(0, input.limit), hasMore: room.length > input.limit });
  });
});

type MessageRef = { conversationId: string; seq: number };
type BareMessage = MessageRef & {
  id: string;
  sender: { id: string; name: string };
  clientMessageId: string;
  text: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: null;
  reactions: { emoji: string; userIds: string[] }[];
  linkPreview: null;
};

/** One change to the whole room, the sender's socket too, as Parley's `changes` event carries it. */
function emitChange(message: BareMessage, data: object): void {
  const changeSeq = (changeSeqs.get(message.conversationId) ?? 0) + 1;
  changeSeqs.set(message.conversationId, changeSeq);
  const count = seqs.get(message.conversationId) ?? 0;
  const atSeq = count === 0 ? 0 : (count - 1) * seqStride + seqOffset + 1;
  const change = { scope: "conversation", streamId: message.conversationId, seq: changeSeq, atSeq, data };
  io.to(`conversation:${message.conversationId}`).emit("changes", [change]);
}

function answer(ack: unknown, data: unknown): void {
  if (typeof ack !== "function") return;
  ack(data === null ? { ok: false, error: { code: "not_found", message: "No such message" } } : { ok: true, data });
}

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
