import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";

/** What the engine hears from its socket: the server's events and the connection's own. */
export type SocketEvents = ServerToClientEvents & {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: Error) => void;
};

type Request<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
export type Reply<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/**
 * The part of a Socket.IO client socket the engine uses, small enough for a test to fake. Created
 * unconnected; reconnection is the engine's (Socket.IO's own gives up after a refused handshake).
 */
export interface ChatSocket {
  readonly connected: boolean;
  connect(): void;
  disconnect(): void;
  on<E extends keyof SocketEvents>(event: E, listener: SocketEvents[E]): void;
  /** Emits with an ack; rejects when none comes within `timeoutMs` or the connection drops first. */
  request<E extends keyof ClientToServerEvents>(event: E, input: Request<E>, timeoutMs: number): Promise<Reply<E>>;
}
