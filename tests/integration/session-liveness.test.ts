import { decode, encode } from "next-auth/jwt";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generalId, sendMessage } from "../helpers/chat";
import { signOut, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { createScratchDatabase, startTestServer, type TestServer } from "../helpers/server";
import { connectionRefusal, connectSocket, nextDisconnect, type ClientSocket } from "../helpers/socket";
import { startTcpProxy, throughProxy, type TcpProxy } from "../helpers/tcp-proxy";

/**
 * These tests change sessions and users behind the server's back, in its database: on PGlite the
 * server holds the only connection, so they need PostgreSQL (and the last one Redis too).
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (process.env.CI && (!databaseUrl || !redisUrl)) {
  throw new Error("The session liveness tests need TEST_DATABASE_URL and REDIS_URL; they are skipped only locally.");
}

/** Short, so that a check comes soon after each change. */
const CHECK_INTERVAL = { SESSION_CHECK_INTERVAL_MS: "300" };
/** Long enough for a disconnect on a loaded machine; far shorter than the long interval below. */
const DISCONNECT_TIMEOUT_MS = 30_000;

async function sessionIdOf(server: TestServer, cookie: string): Promise<string> {
  const token = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1));
  const payload = await decode({ token, secret: server.authSecret });
  if (typeof payload?.sid !== "string") throw new Error("The cookie names no session");
  return payload.sid;
}

/** What the server's handshake middleware attached to its refusal. */
const dataOf = (error: Error) => (error as Error & { data?: unknown }).data;

function openSql(url: string | undefined): postgres.Sql {
  if (!url) throw new Error("The server is not on PostgreSQL");
  return postgres(url, { max: 1, onnotice: () => {} });
}

describe.skipIf(!databaseUrl)("sockets whose session ends without an event", () => {
  let server: TestServer;
  let sql: postgres.Sql;
  let witness: SignedInUser;
  let witnessSocket: ClientSocket;
  const sockets: ClientSocket[] = [];
  const connect = async (cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: CHECK_INTERVAL });
    sql = openSql(server.databaseUrl);
    witness = await signUpAndSignIn(server.url, { name: "Witness" });
    witnessSocket = await connect(witness.cookie);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await sql?.end({ timeout: 5 });
    await server?.close();
  });

  it("disconnects a socket whose session row is gone (a sign-out whose event was lost), for good", async () => {
    const person = await signUpAndSignIn(server.url);
    const socket = await connect(person.cookie);
    const disconnected = nextDisconnect(socket, DISCONNECT_TIMEOUT_MS);

    await sql`delete from sessions where id = ${await sessionIdOf(server, person.cookie)}`;

    expect(await disconnected).toBe("io server disconnect");
    const refusal = await connectionRefusal(server.url, person.cookie);
    expect(refusal.message).toBe("unauthorized");
    expect(dataOf(refusal)).toMatchObject({ code: "unauthorized" });
    expect(witnessSocket.connected).toBe(true);
  });

  it("disconnects every socket of a user deactivated in the database", async () => {
    const person = await signUpAndSignIn(server.url);
    const first = await connect(person.cookie);
    const second = await connect(person.cookie);
    const disconnects = [nextDisconnect(first, DISCONNECT_TIMEOUT_MS), nextDisconnect(second, DISCONNECT_TIMEOUT_MS)];

    await sql`update users set deactivated_at = now() where id = ${person.user.id}`;

    expect(await Promise.all(disconnects)).toEqual(["io server disconnect", "io server disconnect"]);
    expect((await connectionRefusal(server.url, person.cookie)).message).toBe("unauthorized");
    expect(witnessSocket.connected).toBe(true);
  });

  it("disconnects a socket whose session was made to expire after it connected", async () => {
    const person = await signUpAndSignIn(server.url);
    const socket = await connect(person.cookie);
    const disconnected = nextDisconnect(socket, DISCONNECT_TIMEOUT_MS);

    const sessionId = await sessionIdOf(server, person.cookie);
    await sql`update sessions set expires_at = now() + interval '1 second' where id = ${sessionId}`;

    expect(await disconnected).toBe("io server disconnect");
    expect(witnessSocket.connected).toBe(true);
  });
});

describe.skipIf(!databaseUrl)("a socket at its session's expiry, long before the next check", () => {
  let server: TestServer;
  let sql: postgres.Sql;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    // Only the timer set at the handshake can end these sockets in time.
    server = await startTestServer({ env: { SESSION_CHECK_INTERVAL_MS: "600000" } });
    sql = openSql(server.databaseUrl);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await sql?.end({ timeout: 5 });
    await server?.close();
  });

  it("ends the socket when its session row expires", async () => {
    const person = await signUpAndSignIn(server.url);
    const sessionId = await sessionIdOf(server, person.cookie);
    await sql`update sessions set expires_at = now() + interval '5 seconds' where id = ${sessionId}`;
    const socket = await connectSocket(server.url, person.cookie);
    sockets.push(socket);

    expect(await nextDisconnect(socket, DISCONNECT_TIMEOUT_MS)).toBe("io server disconnect");
  });
});

// Needs nothing behind the server's back, so it runs on PGlite too.
describe("a socket at its token's expiry, long before the next check", () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { SESSION_CHECK_INTERVAL_MS: "600000" } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it("ends the socket when the token it connected with expires, and refuses the token then", async () => {
    const person = await signUpAndSignIn(server.url);
    const sid = await sessionIdOf(server, person.cookie);
    const token = await encode({ token: { sid, sub: person.user.id }, secret: server.authSecret, maxAge: 5 });
    const cookie = `next-auth.session-token=${token}`;
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);

    expect(await nextDisconnect(socket, DISCONNECT_TIMEOUT_MS)).toBe("io server disconnect");
    expect(dataOf(await connectionRefusal(server.url, cookie))).toMatchObject({ code: "unauthorized" });
  });
});

describe.skipIf(!databaseUrl)("while the database does not answer", () => {
  let server: TestServer;
  let proxy: TcpProxy;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    scratch = await createScratchDatabase(databaseUrl!);
    const target = new URL(scratch.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    server = await startTestServer({ databaseUrl: throughProxy(scratch.url, proxy), env: CHECK_INTERVAL });
  });
  afterAll(async () => {
    proxy?.restore();
    await server?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  it("keeps every socket, and checks again once it is back", async () => {
    const person = await signUpAndSignIn(server.url);
    const general = await generalId(server.url, person.cookie);
    const socket = await connectSocket(server.url, person.cookie);
    try {
      proxy.cut();
      await expect
        .poll(() => server.output(), { timeout: DISCONNECT_TIMEOUT_MS })
        .toMatch(/Could not check the sessions/);
      expect(socket.connected).toBe(true);
      // A handshake meanwhile is refused as server trouble, which the browser retries, not as signed out.
      expect(dataOf(await connectionRefusal(server.url, person.cookie))).toMatchObject({ code: "internal" });

      proxy.restore();
      expect((await sendMessage(socket, general, "still here")).text).toBe("still here");
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });
});

describe.skipIf(!databaseUrl || !redisUrl)("a sign-out while one process cannot reach Redis", () => {
  let one: TestServer;
  let two: TestServer;
  let redisProxy: TcpProxy;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    scratch = await createScratchDatabase(databaseUrl!);
    const redis = new URL(redisUrl!);
    redisProxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    const shared = { databaseUrl: scratch.url, env: CHECK_INTERVAL };
    one = await startTestServer({ ...shared, redis: true });
    two = await startTestServer({
      ...shared,
      authSecret: one.authSecret,
      env: { ...CHECK_INTERVAL, REDIS_URL: throughProxy(redisUrl!, redisProxy) },
    });
  });
  afterAll(async () => {
    redisProxy?.restore();
    await Promise.all([one?.close(), two?.close()]);
    await redisProxy?.close();
    await scratch?.drop();
  });

  it("still ends the session's socket on that process, without waiting for Redis", async () => {
    const person = await signUpAndSignIn(one.url);
    const onOne = await connectSocket(one.url, person.cookie);
    const onTwo = await connectSocket(two.url, person.cookie);
    try {
      const disconnects = [nextDisconnect(onOne, DISCONNECT_TIMEOUT_MS), nextDisconnect(onTwo, DISCONNECT_TIMEOUT_MS)];
      redisProxy.cut();

      expect((await signOut(one.url, person.cookie)).status).toBe(200);

      expect(await Promise.all(disconnects)).toEqual(["io server disconnect", "io server disconnect"]);
      expect((await connectionRefusal(two.url, person.cookie)).message).toBe("unauthorized");
    } finally {
      onOne.close();
      onTwo.close();
    }
  });
});
