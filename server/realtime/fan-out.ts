import type { Conversation } from "@/lib/protocol";
import { domainEvents, type DomainEvents } from "@/server/events";
import { rooms } from "./rooms";
import type { ParleyServer } from "./types";

type Created = DomainEvents["message.created"][0];

/**
 * Turns committed domain events into emits. Emits go to rooms, so with the
 * Redis adapter they reach sockets on every chat server, and membership
 * changes move sockets in and out of rooms on every server too.
 * Returns a function that stops listening.
 */
export function fanOut(io: ParleyServer): () => void {
  const onMessageCreated = groupedByConversation((conversationId, created) =>
    emitMessages(io, conversationId, created),
  );
  const onMemberJoined = ({ userId, conversation }: { userId: string; conversation: Conversation }) => {
    io.in(rooms.user(userId)).socketsJoin(rooms.conversation(conversation.id));
    io.to(rooms.user(userId)).emit("conversation:joined", conversation);
  };
  const onMemberLeft = ({ userId, conversationId }: { userId: string; conversationId: string }) => {
    io.in(rooms.user(userId)).socketsLeave(rooms.conversation(conversationId));
    io.to(rooms.user(userId)).emit("conversation:left", { conversationId });
  };
  const onSessionEnded = ({ sessionId }: { sessionId: string }) => {
    io.in(rooms.session(sessionId)).disconnectSockets(true);
  };

  const events = domainEvents();
  events.on("message.created", onMessageCreated);
  events.on("member.joined", onMemberJoined);
  events.on("member.left", onMemberLeft);
  events.on("session.ended", onSessionEnded);
  return () => {
    events.off("message.created", onMessageCreated);
    events.off("member.joined", onMemberJoined);
    events.off("member.left", onMemberLeft);
    events.off("session.ended", onSessionEnded);
  };
}

/**
 * Messages reported in one turn of the event loop (a send batch, see
 * server/messages/send-message.ts) go out together once that turn's promises
 * have settled, one group per conversation in the order they were reported.
 * Waiting for the turn's end lets every sender's ack go out before the
 * fan-out's socket writes rather than after them.
 */
function groupedByConversation(emit: (conversationId: string, created: Created[]) => void): (created: Created) => void {
  let pending = new Map<string, Created[]>();
  const flush = () => {
    const groups = pending;
    pending = new Map();
    for (const [conversationId, created] of groups) emit(conversationId, created);
  };
  return (created) => {
    // A tick scheduled from a promise callback runs after the microtasks queued with it: the acks.
    if (pending.size === 0) process.nextTick(flush);
    const id = created.message.conversationId;
    const group = pending.get(id);
    if (group) group.push(created);
    else pending.set(id, [created]);
  };
}

/**
 * One emit carries a conversation's group, so each member's socket gets one
 * frame (and each other chat server one Redis message) for the group rather
 * than one per message. A sender has its own message in its ack: it is left out
 * of the room's emit and gets the others' messages of the group on its own.
 */
function emitMessages(io: ParleyServer, conversationId: string, created: Created[]): void {
  const senders = [...new Set(created.flatMap((c) => (c.except ? [c.except] : [])))];
  const messages = created.map((c) => c.message);
  io.to(rooms.conversation(conversationId)).except(senders).emit("messages:new", messages);
  for (const socketId of senders) {
    const others = created.filter((c) => c.except !== socketId).map((c) => c.message);
    // The sending socket is on this process, which received its send: no other server needs this emit.
    if (others.length > 0) io.local.to(socketId).emit("messages:new", others);
  }
}
