import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import next from "next";
import { getConfig } from "./config";
import { openDatabase } from "./db/client";
import { stampClientAddress, trustedProxyList } from "./http/client-address";
import { closeGracefully } from "./http/close-gracefully";
import { serveHealth } from "./http/health";
import { refuseUnroutable } from "./http/unroutable";
import { applySecurityHeaders } from "./http/security-headers";
import { isPublicAddress } from "./link-previews/address-policy";
import { attachLinkPreviews } from "./link-previews/attach-previews";
import { attachRealtime } from "./realtime/attach-realtime";
import { engineOptions, listenBacklog } from "./realtime/engine-options";

type RunningServer = { url: string; close: () => Promise<void> };

/**
 * One HTTP server on one port: health probes, then Socket.IO (it owns
 * /socket.io/), then Next.js for pages and API routes.
 */
export async function startServer({ dev }: { dev: boolean }): Promise<RunningServer> {
  const config = getConfig();
  // A self-hosted chat does not phone home.
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  // next-auth reads these from the environment.
  if (config.publicUrl) process.env.NEXTAUTH_URL = config.publicUrl;
  else process.env.AUTH_TRUST_HOST = "true";

  const database = await openDatabase(config);
  // Next listens for upgrades on the server of the first request it serves, and would run its route
  // resolution on every Socket.IO handshake (ending those whose path matches a page). It listens on a
  // server that never binds instead, which gets only the upgrades Socket.IO does not own: in
  // development, hot reloading's.
  const nextUpgrades = createServer();
  const app = next({ dev, dir: process.cwd(), httpServer: nextUpgrades });
  await app.prepare();
  const handle = app.getRequestHandler();

  const httpServer = createServer((req, res) => {
    if (refuseUnroutable(req, res) || serveHealth(req, res)) return;
    void handle(req, res);
  });
  // Node closes a keep-alive connection after 5 s idle, and a client that sends a request on it just then
  // gets ECONNRESET (a POST of the e2e suite did, in CI). Browsers keep idle connections far longer: keep
  // them a minute, as proxies in front commonly do, with headers allowed a little longer still.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith(`${engineOptions.path}/`)) nextUpgrades.emit("upgrade", req, socket, head);
  });
  const realtime = await attachRealtime(httpServer, config);
  const allowed = new Set(config.linkPreviewAllowedAddresses);
  const stopLinkPreviews = attachLinkPreviews({
    isAllowedAddress: (address) => allowed.has(address) || isPublicAddress(address),
  });
  // Prepended after Socket.IO took over the request listeners, so that its polling answers get them too.
  const trustedProxies = trustedProxyList(config.trustedProxies);
  const https = config.publicUrl?.startsWith("https://") ?? false;
  httpServer.prependListener("request", (req, res) => {
    stampClientAddress(req, trustedProxies);
    applySecurityHeaders(req, res, { dev, https });
  });
  await new Promise<void>((resolve) =>
    httpServer.listen({ port: config.port, host: config.host, backlog: listenBacklog }, resolve),
  );
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  console.log(
    `Parley listening on ${url} (database: ${database.kind}, fan-out: ${config.redisUrl ? "redis" : "in-process"})`,
  );

  return {
    url,
    close: async () => {
      // Closing Socket.IO closes the HTTP server too.
      stopLinkPreviews();
      await closeGracefully(httpServer, () => realtime.close());
      await app.close();
      await database.close();
    },
  };
}

export function runUntilSignal(start: () => Promise<RunningServer>): void {
  start().then(
    (server) => {
      let closing = false;
      const stop = () => {
        if (closing) return;
        closing = true;
        server.close().then(
          () => process.exit(0),
          (error) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", stop);
      process.on("SIGINT", stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
