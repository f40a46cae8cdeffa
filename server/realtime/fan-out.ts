import type { Change, Message } from "@/lib/protocol";
import { domainEvents } from "@/server/events";
import { sendsStoring } from "@/server/messages/send-message";
import type { EventRelay } from "./event-relay";
import { eventOrder, type Segment } from "./event-order";
import { moveMemberSockets } from "./membership-rooms";
import { rooms } from "./rooms";
import type { ParleyServer } from "./types";

/**
 * Turns committed domain events into emits. A conversation's messages and
 * changes reach the other chat servers through the relay, in the order they
 * were committed, and each server emits them to its own sockets, moving its
 * sockets in and out of rooms as memberships change: a socket leaves a
 * conversation's room before anything committed after the member left reaches
 * this server. Ending a session goes through the Redis adapter.
 * Returns a function that stops listening.
 */
export function fanOut(io: ParleyServer, relay: EventRelay): () => void {
  const order = eventOrder({
    emit: (conversationId, segments) => emitSegments(io, conversationId, segments),
    publish: relay.publish,
    sendsStoring,
  });
  const stopRelay = relay.onEvents(order.relayed);
  const onMessageCreated = (created: { message: Message; except?: string; parentId?: string }) => order.stored(created);
  const onChanges = (changes: Change[]) => {
    for (const change of changes) order.changed({ change });
  };
  const onSessionEnded = ({ sessionId }: { sessionId: string }) => {
    io.in(rooms.session(sessionId)).disconnectSockets(true);
  };

  const events = domainEvents();
  events.on("message.created", onMessageCreated);
  events.on("changes.recorded", onChanges);
  events.on("session.ended", onSessionEnded);
  return () => {
    stopRelay();
    order.stop();
    events.off("message.created", onMessageCreated);
    events.off("changes.recorded", onChanges);
    events.off("session.ended", onSessionEnded);
  };
}

/**
 * Emits a conversation's events in order: each run of messages as one frame, and each run of changes of
 * one stream as one frame.
 */
function emitSegments(io: ParleyServer, conversationId: string, segments: Segment[]): void {
  let run: Change[] = [];
  const endRun = () => {
    if (run.length > 0) emitChanges(io, run);
    run = [];
  };
  for (const segment of segments) {
    if ("messages" in segment) {
      endRun();
      emitMessages(io, conversationId, segment.messages);
      continue;
    }
    const { change } = segment.change;
    if (run[0] && run[0].streamId !== change.streamId) endRun();
    run.push(change);
  }
  endRun();
}

/** Changes of one stream, in order. */
function emitChanges(io: ParleyServer, changes: Change[]): void {
  const [first] = changes as [Change];
  if (first.scope === "conversation") {
    io.local.to(rooms.conversation(first.parentId ?? first.streamId)).emit("changes", changes);
    return;
  }
  for (const change of changes) if (change.data.kind === "membership") moveMemberSockets(io, change);
  io.local.to(rooms.user(first.streamId)).emit("changes", changes);
}

/**
 * One emit carries a run of a conversation's messages, so each member's
 * socket on this server gets one frame for it rather than one per message. A
 * sender has its own message in its ack: it is left out of the room's emit and
 * gets the others' messages of the run on its own.
 */
function emitMessages(
  io: ParleyServer,
  conversationId: string,
  created: { message: Message; except?: string; parentId?: string }[],
): void {
  const senders = [...new Set(created.flatMap((c) => (c.except ? [c.except] : [])))];
  const messages = created.map((c) => c.message);
  // A thread has no room: everyone who may read it is in its parent's.
  const room = created[0]?.parentId ?? conversationId;
  io.local.to(rooms.conversation(room)).except(senders).emit("messages:new", messages);
  for (const socketId of senders) {
    const others = created.filter((c) => c.except !== socketId).map((c) => c.message);
    if (others.length > 0) io.local.to(socketId).emit("messages:new", others);
  }
}
