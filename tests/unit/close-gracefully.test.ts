import { createServer, Agent, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { closeGracefully } from "@/server/http/close-gracefully";

/** A server whose answers take 200 ms, with a long keep-alive as Parley's; closed 100 ms into a request. */
async function closedDuringRequest(close: (server: Server) => Promise<void>): Promise<"closed" | "still open"> {
  const server = createServer((_req, res) => setTimeout(() => res.end("ok"), 200));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const agent = new Agent({ keepAlive: true });
  get({ port: (server.address() as AddressInfo).port, host: "127.0.0.1", agent }, (res) => res.resume());
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closing = close(server).then(() => "closed" as const);
  const outcome = await Promise.race([
    closing,
    new Promise<"still open">((resolve) => setTimeout(() => resolve("still open"), 2_000)),
  ]);
  server.closeAllConnections();
  agent.destroy();
  await closing;
  return outcome;
}

const nodeClose = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe("closeGracefully", () => {
  it("lets a request being answered finish, then closes its keep-alive connection at once", async () => {
    expect(await closedDuringRequest((server) => closeGracefully(server, () => nodeClose(server)))).toBe("closed");
  });

  it("is needed: Node's close alone waits for that connection's keep-alive timeout", async () => {
    expect(await closedDuringRequest(nodeClose)).toBe("still open");
  });
});
