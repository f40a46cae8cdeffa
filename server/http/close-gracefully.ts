import type { Server } from "node:http";

/**
 * Runs `close` (which ends with the HTTP server's own close) while closing each connection as soon as it
 * is idle. Node's close() shuts the connections idle at that moment only: one whose request was still
 * being answered stays open for the keep-alive timeout after its response (65 s here, see
 * server/index.ts), and the process would not exit on SIGTERM until then.
 */
export async function closeGracefully(server: Server, close: () => Promise<void>): Promise<void> {
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await close();
  } finally {
    clearInterval(sweep);
  }
}
