import type { ServerOptions } from "socket.io";

/**
 * Socket.IO engine settings shared by Parley and the bare baseline server in
 * bench/, so that benchmarks compare the same engine and measure only what
 * Parley adds on top of it.
 */
export const engineOptions = {
  // Text is capped at 16,000 characters; 1 MB leaves room for a JSON envelope and
  // drops a client that sends far more, before its payload is parsed.
  maxHttpBufferSize: 1_000_000,
} satisfies Partial<ServerOptions>;
