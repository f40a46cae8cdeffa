import type { ServerOptions } from "socket.io";

/**
 * Socket.IO engine settings shared by Parley and the bare baseline server in
 * bench/, so that benchmarks compare the same engine and measure only what
 * Parley adds on top of it.
 */
export const engineOptions = {
  // Socket.IO's default, named here because server/index.ts keeps Next away from these upgrades.
  path: "/socket.io",
  // Text is capped at 16,000 characters; 1 MB leaves room for a JSON envelope and
  // drops a client that sends far more, before its payload is parsed.
  maxHttpBufferSize: 1_000_000,
} satisfies Partial<ServerOptions>;

/**
 * How many accepted-but-not-yet-handled connections the kernel queues for the
 * HTTP server (capped by net.core.somaxconn). Node's default of 511 overflows
 * in a reconnect storm while the event loop is busy: the kernel then drops the
 * handshake and the client's TCP retries it a second later, and again two
 * seconds after that. S7, one storm of 10,000 with 511: 9,213 overflows and
 * 6,016 SYN retransmissions; with 4,096: none in three storms of five, 186 and
 * 806 in the other two.
 */
export const listenBacklog = 4096;
