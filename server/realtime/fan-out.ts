import type { Conversation } from "@/lib/protocol";
import { domainEvents } from "@/server/events";
import { sendsStoring } from "@/server/messages/send-message";
import { messageGroups, type Created } from "./message-groups";
import type { MessageRelay } from "./message-relay";
import { rooms } from "./rooms";
import type { ParleyServer } from "./types";

/**
 * Turns committed domain events into emits. Messages reach the other chat
 * servers through the relay and each server emits them to its own sockets;
 * the rest goes to rooms through the Redis adapter, so membership changes
 * move sockets in and out of rooms on every server too.
 * Returns a function that stops listening.
 */
export function fanOut(io: ParleyServer, relay: MessageRelay): () => void {
  const messages = messageGroups({
    emit: (conversationId, group) => emitMessages(io, conversationId, group),
    publish: relay.publish,
    sendsStoring,
  });
  const stopRelay = relay.onMessages(messages.relayed);
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
  events.on("message.created", messages.stored);
  events.on("member.joined", onMemberJoined);
  events.on("member.left", onMemberLeft);
  events.on("session.ended", onSessionEnded);
  return () => {
    stopRelay();
    messages.stop();
    events.off("message.created", messages.stored);
    events.off("member.joined", onMemberJoined);
    events.off("member.left", onMemberLeft);
    events.off("session.ended", onSessionEnded);
  };
}

/**
 * One emit carries a conversation's group, so each member's socket on this
 * server gets one frame for the group rather than one per message. A sender has
 * its own message in its ack: it is left out of the room's emit and gets the
 * others' messages of the group on its own.
 */
function emitMessages(io: ParleyServer, conversationId: string, created: Created[]): void {
  const senders = [...new Set(created.flatMap((c) => (c.except ? [c.except] : [])))];
  const messages = created.map((c) => c.message);
  io.local.to(rooms.conversation(conversationId)).except(senders).emit("messages:new", messages);
  for (const socketId of senders) {
    const others = created.filter((c) => c.except !== socketId).map((c) => c.message);
    if (others.length > 0) io.local.to(socketId).emit("messages:new", others);
  }
}
