import type { IncomingMessage, ServerResponse } from "node:http";
import { database } from "@/server/db/client";

/**
 * /healthz: the process is up. /readyz: the database answers too. Served
 * before Next so that a load balancer's probe costs no rendering.
 * Returns false when the request is not a probe.
 */
export function serveHealth(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?")[0];
  if (path === "/healthz") {
    reply(res, 200, { status: "ok" });
    return true;
  }
  if (path === "/readyz") {
    database()
      .ping()
      .then(
        () => reply(res, 200, { status: "ready" }),
        () => reply(res, 503, { error: { code: "internal", message: "The database does not answer" } }),
      );
    return true;
  }
  return false;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
