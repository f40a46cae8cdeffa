import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";

type SocketData = {
  user: SessionUser;
  conversationIds: string[];
  /** When the session or its token expires (ms since the epoch): the socket ends then. */
  sessionExpiresMs: number;
};
export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
