import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";

type SocketData = {
  user: SessionUser;
  conversationIds: string[];
  /** When the session or its token expires (ms since the epoch): the socket ends then. */
  sessionExpiresMs: number;
  /**
   * The position in its user's change stream of the newest membership change
   * applied to this socket's rooms: the sync after connecting reads again when
   * it read an older state (server/realtime/membership-rooms.ts).
   */
  membershipSeq?: number;
};
export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
