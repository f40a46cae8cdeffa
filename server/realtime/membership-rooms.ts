import type { Change, Sync } from "@/lib/protocol";
import { listMyStreamStates } from "@/server/conversations/list-my-conversations";
import { rooms } from "./rooms";
import type { ParleyServer, ParleySocket } from "./types";

/** A membership change reached this server: its member's sockets here join or leave the room. */
export function moveMemberSockets(io: ParleyServer, change: Change): void {
  if (change.data.kind !== "membership") return;
  const room = rooms.conversation(change.data.conversationId);
  const joined = change.data.conversation !== null;
  for (const socketId of io.of("/").adapter.rooms.get(rooms.user(change.streamId)) ?? []) {
    const socket = io.of("/").sockets.get(socketId);
    if (!socket) continue;
    if (joined) void socket.join(room);
    else void socket.leave(room);
    socket.data.membershipSeq = Math.max(socket.data.membershipSeq ?? 0, change.seq);
  }
}

/**
 * After connecting, a socket's conversation rooms are made exactly those its
 * user is in now, and it is told where each stream stands. The rooms joined at
 * the handshake come from a read made before the socket could hear membership
 * changes live, so one that committed in between would be missed: this read
 * comes after the socket joined its user's room. When a membership change
 * newer than this read was applied meanwhile, the read is made again.
 */
export async function syncRooms(socket: ParleySocket): Promise<Sync> {
  for (;;) {
    const states = await listMyStreamStates(socket.data.user.id);
    if ((socket.data.membershipSeq ?? 0) > states.changeSeq) continue;
    const wanted = new Set(states.conversations.map((c) => rooms.conversation(c.id)));
    for (const room of socket.rooms) {
      if (rooms.isConversation(room) && !wanted.has(room)) void socket.leave(room);
    }
    void socket.join([...wanted]);
    return states;
  }
}
