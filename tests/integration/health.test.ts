import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { workspaceSchema } from "@/lib/protocol";
import { api, expectBody, signIn, signUpAndSignIn } from "../helpers/http";
import { ServerStartError, startTestServer, type TestServer } from "../helpers/server";

describe("health and process lifecycle", () => {
  let server: TestServer;

  beforeAll(async () => {
    // On an empty database, created and migrated by the server as on a new install: most servers of the
    // suite start from a copy of a database migrated once for the run, and this keeps a first boot tested.
    server = await startTestServer({ emptyDatabase: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reports its database and fan-out in the ready line", () => {
    const kind = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
    expect(server.output()).toContain(`(database: ${kind}, fan-out: in-process)`);
  });

  it("answers /healthz", async () => {
    const res = await api(server.url).get("/healthz");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(expectBody(res, 200, z.object({ status: z.string() }))).toEqual({ status: "ok" });
  });

  it("answers /readyz once the database does", async () => {
    const res = await api(server.url).get("/readyz?probe=1");
    expect(expectBody(res, 200, z.object({ status: z.string() }))).toEqual({ status: "ready" });
  });

  it("keeps an idle keep-alive connection open well past Node's 5 s, so a request sent on it is not reset", async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    const closed = new Promise<"closed">((resolve) => socket.once("close", () => resolve("closed")));
    const ask = () => socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    const answer = () => new Promise<string>((resolve) => socket.once("data", (chunk) => resolve(chunk.toString())));
    try {
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      const first = answer();
      ask();
      expect(await first).toMatch(/^HTTP\/1\.1 200/);
      // A client that reuses it after 6 s idle (Playwright's request context did, in CI) must not find it closed.
      const idle = await Promise.race([
        closed,
        new Promise<"open">((resolve) => setTimeout(() => resolve("open"), 6_000)),
      ]);
      expect(idle).toBe("open");
      const second = answer();
      ask();
      expect(await second).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  });

  it("starts with a workspace that needs setting up", async () => {
    const res = await api(server.url).get("/api/workspace");
    expect(expectBody(res, 200, workspaceSchema)).toEqual({ name: null, needsSetup: true });
  });

  it.skipIf(process.env.TEST_DATABASE_URL !== undefined)(
    "refuses a second process on the same PGlite DATA_DIR",
    async () => {
      const second = startTestServer({ dataDir: server.dataDir, authSecret: server.authSecret });
      const error = await second.then(
        () => expect.unreachable("the second process started"),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServerStartError);
      const refusal = error as ServerStartError;
      expect(refusal.exitCode).not.toBe(0);
      expect(refusal.output).toContain("Another Parley process");
      expect(refusal.output).toContain(server.dataDir);
      // The first one is unharmed.
      expect((await api(server.url).get("/healthz")).status).toBe(200);
    },
  );

  it("shuts down gracefully on SIGTERM and keeps its data for the next start", async () => {
    const { email, password } = await signUpAndSignIn(server.url, { workspaceName: "Lifecycle" });
    expect(await server.kill("SIGTERM")).toBe(0);

    // Same DATA_DIR (PGlite: the pid lock was released) or the same database (PostgreSQL).
    const restarted = await startTestServer({
      dataDir: server.dataDir,
      databaseUrl: server.databaseUrl,
      authSecret: server.authSecret,
    });
    try {
      const workspace = expectBody(await api(restarted.url).get("/api/workspace"), 200, workspaceSchema);
      expect(workspace).toEqual({ name: "Lifecycle", needsSetup: false });
      expect(await signIn(restarted.url, email, password)).not.toBeNull();
    } finally {
      await restarted.close();
    }
  });
});
