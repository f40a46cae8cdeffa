import type { Conversation, Message } from "@/lib/protocol";
import { domainEvents } from "@/server/events";
import { rooms } from "./rooms";
import type { ParleyServer } from "./types";

/**
 * Turns committed domain events into emits. Emits go to rooms, so with the
 * Redis adapter they reach sockets on every chat server, and membership
 * changes move sockets in and out of rooms on every server too.
 * Returns a function that stops listening.
 */
export function fanOut(io: ParleyServer): () => void {
  const onMessageCreated = ({ message, except }: { message: Message; except?: string }) => {
    const room = io.to(rooms.conversation(message.conversationId));
    (except ? room.except(except) : room).emit("message:new", message);
  };
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
