import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_HISTORY_PAGE_BYTES, MAX_MESSAGE_LENGTH, messagePageSchema, messageSchema } from "@/lib/protocol";
import { createChannel, fullHistory, joinChannel } from "../helpers/chat";
import { api, expectBody, signIn, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestServer } from "../helpers/server";
import {
  connectSocket,
  emitUntyped,
  emitUntypedWithAck,
  errorAckSchema,
  okAckSchema,
  type ClientSocket,
} from "../helpers/socket";

const ackSchema = z.union([okAckSchema, errorAckSchema]);
const historyAckSchema = z.union([z.object({ ok: z.literal(true), data: messagePageSchema }), errorAckSchema]);

/** Messages of the largest size in the flood's channel: more than a full page of 200. */
const LARGE_MESSAGES = 250;
const FLOOD = 1_000;
/** What a flood over the socket may add to the server's resident memory. Unbounded, it added about 1.8 GB. */
const RSS_GROWTH_BOUND_MB = 300;
/**
 * The same over HTTP or many sessions, where requests arrive over many connections and far more are answered,
 * each page also passing through Next's response: 330 to 510 MB measured for 400 and for 800 requests
 * alike, the garbage of the answered pages not yet collected (live memory is bounded by the 8 reads
 * running at once). Unbounded, 800 requests added 2.9 GB.
 */
const WIDE_FLOOD_RSS_GROWTH_BOUND_MB = 800;

describe("limits on socket events", () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };
  /** A user of their own with a channel of their own: limits are per socket and per user. */
  const newSender = async () => {
    const user = await signUpAndSignIn(server.url);
    const channel = (await createChannel(server.url, user.cookie, `limits-${randomUUID().slice(0, 8)}`)).id;
    return { user, channel, socket: await connect(user) };
  };
  const send = (socket: ClientSocket, conversationId: string, text = "hi") =>
    emitUntypedWithAck(socket, "message:send", [{ conversationId, clientMessageId: randomUUID(), text }], 30_000).then(
      (ack) => ackSchema.parse(ack),
    );

  beforeAll(async () => {
    server = await startTestServer();
    await signUpAndSignIn(server.url, { name: "Admin" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it("answers an unknown event with bad_request, and ignores one sent without an ack", async () => {
    const { socket } = await newSender();
    emitUntyped(socket, "no:such-event", [{}]);
    const ack = errorAckSchema.parse(await emitUntypedWithAck(socket, "no:such-event", [{ a: 1 }, 2], 2_000));
    expect(ack.error).toEqual({ code: "bad_request", message: "Unknown event: no:such-event" });
    const inherited = errorAckSchema.parse(await emitUntypedWithAck(socket, "hasOwnProperty", [], 2_000));
    expect(inherited.error.code).toBe("bad_request");
  });

  it("refuses sends past the burst of 30 at once, storing exactly the accepted ones", async () => {
    const { user, channel, socket } = await newSender();
    const acks = await Promise.all(Array.from({ length: 100 }, () => send(socket, channel)));
    const accepted = acks.filter((a) => a.ok);
    const refused = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(accepted.length).toBeGreaterThanOrEqual(30);
    expect(accepted.length).toBeLessThanOrEqual(32);
    expect(refused.length).toBe(100 - accepted.length);
    for (const error of refused) {
      expect(error.code).toBe("rate_limited");
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    const stored = await fullHistory(server.url, user.cookie, channel);
    expect(stored.map((m) => m.clientMessageId).sort()).toEqual(accepted.map((a) => a.data.clientMessageId).sort());
  });

  it("slows sends made one at a time past the burst instead of refusing them, as the outbox sends", async () => {
    const { user, channel, socket } = await newSender();
    for (let i = 0; i < 45; i++) expect((await send(socket, channel, `outbox ${i}`)).ok).toBe(true);
    expect(await fullHistory(server.url, user.cookie, channel)).toHaveLength(45);
  });

  it("counts sends without an ack against the socket's limit, storing none of them", async () => {
    const { user, channel, socket } = await newSender();
    for (let i = 0; i < 40; i++) {
      emitUntyped(socket, "message:send", [{ conversationId: channel, clientMessageId: randomUUID(), text: "x" }]);
    }
    // With the bucket emptied, the first waits for the next token and the second, sent beside it, is refused.
    const [first, second] = await Promise.all([send(socket, channel), send(socket, channel)]);
    expect(first!.ok).toBe(true);
    expect(second!.ok ? "ok" : second!.error.code).toBe("rate_limited");
    expect(await fullHistory(server.url, user.cookie, channel)).toHaveLength(1);
  });

  it("limits one user's sockets together, not each socket alone", async () => {
    const { user, channel, socket } = await newSender();
    const more = await Promise.all(Array.from({ length: 4 }, () => connect(user)));
    const acks = await Promise.all(
      [socket, ...more].flatMap((s) => Array.from({ length: 30 }, () => send(s, channel))),
    );
    const accepted = acks.filter((a) => a.ok).length;
    expect(accepted).toBeLessThanOrEqual(120);
    expect(acks.filter((a) => !a.ok && a.error.code === "rate_limited")).toHaveLength(150 - accepted);
    expect(await fullHistory(server.url, user.cookie, channel)).toHaveLength(accepted);
  });

  it("counts a user's HTTP writes with their socket writes, answering the excess 429 with Retry-After", async () => {
    const { user, channel, socket } = await newSender();
    const overSocket = await Promise.all(Array.from({ length: 30 }, () => send(socket, channel)));
    expect(overSocket.every((a) => a.ok)).toBe(true);
    const userApi = api(server.url, user.cookie);
    const overHttp = await Promise.all(
      Array.from({ length: 100 }, () =>
        userApi.post(`/api/conversations/${channel}/messages`, { clientMessageId: randomUUID(), text: "hi" }),
      ),
    );
    const refused = overHttp.filter((res) => res.status === 429);
    // 120 writes per 10 s: the channel, 30 over the socket, and so at most 89 over HTTP.
    expect(overHttp.filter((res) => res.status === 201).length).toBeLessThanOrEqual(89);
    expect(refused.length).toBe(overHttp.length - overHttp.filter((res) => res.status === 201).length);
    for (const res of refused) {
      expect(res.body).toMatchObject({ error: { code: "rate_limited" } });
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    const stored = await fullHistory(server.url, user.cookie, channel);
    expect(stored).toHaveLength(30 + overHttp.length - refused.length);
  });

  describe("history", () => {
    let reader: SignedInUser;
    let channel: string;

    beforeAll(async () => {
      const owner = await signUpAndSignIn(server.url);
      reader = await signUpAndSignIn(server.url);
      channel = (await createChannel(server.url, owner.cookie, `large-${randomUUID().slice(0, 8)}`)).id;
      await joinChannel(server.url, reader.cookie, channel);
      // Three posters, so that none passes a person's write limit (120 per 10 s), a few at a time.
      const posters = [owner, ...(await Promise.all([signUpAndSignIn(server.url), signUpAndSignIn(server.url)]))];
      for (const poster of posters.slice(1)) await joinChannel(server.url, poster.cookie, channel);
      const post = (i: number) =>
        api(server.url, posters[i % posters.length]!.cookie).post(`/api/conversations/${channel}/messages`, {
          clientMessageId: randomUUID(),
          text: `${i} ${randomBytes(MAX_MESSAGE_LENGTH).toString("base64")}`.slice(0, MAX_MESSAGE_LENGTH),
        });
      for (let i = 0; i < LARGE_MESSAGES; i += 8) {
        const batch = await Promise.all(Array.from({ length: Math.min(8, LARGE_MESSAGES - i) }, (_, k) => post(i + k)));
        for (const res of batch) expectBody(res, 201, z.object({ message: messageSchema }));
      }
    });

    it("cuts a page at 1 MB of text and says there is more, and paging still reads everything once", async () => {
      const socket = await connect(reader);
      const page = historyAckSchema.parse(
        await emitUntypedWithAck(socket, "messages:history", [{ conversationId: channel, limit: 200 }]),
      );
      if (!page.ok) throw new Error(page.error.message);
      const bytes = page.data.messages.reduce((sum, m) => sum + Buffer.byteLength(m.text), 0);
      expect(bytes).toBeLessThanOrEqual(MAX_HISTORY_PAGE_BYTES);
      expect(page.data.messages.length).toBe(Math.floor(MAX_HISTORY_PAGE_BYTES / MAX_MESSAGE_LENGTH));
      expect(page.data.hasMore).toBe(true);
      const all = await fullHistory(server.url, reader.cookie, channel);
      expect(all.map((m) => m.seq)).toEqual(Array.from({ length: LARGE_MESSAGES }, (_, i) => i + 1));
    });

    it("refuses most of a flood of 1,000 page requests at once, with memory bounded and /healthz answering", async () => {
      const socket = await connect(reader);
      const { results: acks, rss } = await underFlood(() =>
        Promise.all(
          Array.from({ length: FLOOD }, (_, i) =>
            emitUntypedWithAck(
              socket,
              "messages:history",
              [{ conversationId: channel, limit: 200, ...(i % 2 ? { before: LARGE_MESSAGES } : {}) }],
              120_000,
            ).then((ack) => historyAckSchema.parse(ack)),
          ),
        ),
      );
      console.log(`socket history flood: RSS ${rss}`);
      const refused = acks.filter((a) => !a.ok);
      expect(refused.length).toBeGreaterThan(FLOOD * 0.9);
      for (const ack of refused) expect(ack.ok ? "ok" : ack.error.code).toBe("rate_limited");
      for (const ack of acks) if (ack.ok) expect(ack.data.messages.length).toBeGreaterThan(0);
    });

    it("bounds a person's history pages over HTTP the same way", async () => {
      const reads = api(server.url, reader.cookie);
      const { results, rss } = await underFlood(
        () =>
          Promise.all(Array.from({ length: 800 }, () => reads.get(`/api/conversations/${channel}/messages?limit=200`))),
        WIDE_FLOOD_RSS_GROWTH_BOUND_MB,
      );
      console.log(`HTTP history flood: RSS ${rss}`);
      const refused = results.filter((res) => res.status === 429);
      // Requests arrive over many connections, some after earlier ones were answered: the bound is on how
      // many run and wait at once, so how many are refused depends on timing, but some must be.
      expect(refused.length).toBeGreaterThan(0);
      for (const res of refused) expect(res.body).toMatchObject({ error: { code: "rate_limited" } });
      expect(results.filter((res) => res.status !== 429).every((res) => res.status === 200)).toBe(true);
    });

    it("bounds a person's reads however many sessions they open", async () => {
      // One after another: sign-ins in flight together spend the account's attempts before any is given back.
      const cookies: (string | null)[] = [];
      for (let i = 0; i < 20; i++) cookies.push(await signIn(server.url, reader.email, reader.password));
      const sessions = await Promise.all(cookies.map((cookie) => connectSocket(server.url, cookie!)));
      sockets.push(...sessions);
      const { results: acks, rss } = await underFlood(
        () =>
          Promise.all(
            sessions.flatMap((s) =>
              Array.from({ length: 36 }, () =>
                emitUntypedWithAck(s, "messages:history", [{ conversationId: channel, limit: 200 }], 120_000).then(
                  (ack) => historyAckSchema.parse(ack),
                ),
              ),
            ),
          ),
        // Answered from 20 sockets, far more pages are served than from one: the garbage of answered pages.
        WIDE_FLOOD_RSS_GROWTH_BOUND_MB,
      );
      console.log(`history flood over 20 sessions: RSS ${rss}`);
      // Memory and /healthz are checked by underFlood; each request is answered, or refused as rate_limited.
      for (const ack of acks) if (!ack.ok) expect(ack.error.code).toBe("rate_limited");
    });

    /**
     * Runs a flood while sampling the server's memory and asking /healthz, and checks that the memory
     * stayed within the bound and that /healthz answered 200 all along.
     */
    async function underFlood<T>(
      flood: () => Promise<T[]>,
      boundMb = RSS_GROWTH_BOUND_MB,
    ): Promise<{ results: T[]; rss: string }> {
      const rssBefore = residentMb(server.pid);
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, residentMb(server.pid))), 50);
      let floodDone = false;
      const healthDuringFlood: number[] = [];
      const probing = (async () => {
        while (!floodDone) {
          const status = await api(server.url)
            .get("/healthz")
            .then(
              (res) => res.status,
              () => 0,
            );
          healthDuringFlood.push(status);
        }
      })();
      let results: T[];
      try {
        results = await flood();
      } finally {
        floodDone = true;
        clearInterval(sampler);
        await probing;
      }
      expect(rssPeak - rssBefore).toBeLessThan(boundMb);
      expect(healthDuringFlood.length).toBeGreaterThan(0);
      expect(new Set(healthDuringFlood)).toEqual(new Set([200]));
      expect((await api(server.url).get("/healthz")).status).toBe(200);
      return { results, rss: `${Math.round(rssBefore)} MB before, ${Math.round(rssPeak)} MB at the peak` };
    }
  });
});

/** The resident memory of a process, in MB, from /proc/<pid>/status. */
function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

describe.skipIf(!process.env.TEST_DATABASE_URL || !process.env.REDIS_URL)("write limits across processes", () => {
  it("limits one user's sockets on two processes together, through Redis", async () => {
    const cluster = await startCluster(2);
    const sockets: ClientSocket[] = [];
    try {
      const [one, two] = cluster.servers as [TestServer, TestServer];
      await signUpAndSignIn(one.url, { name: "Admin" });
      const user = await signUpAndSignIn(one.url);
      const channel = (await createChannel(one.url, user.cookie, `limits-${randomUUID().slice(0, 8)}`)).id;
      for (const server of [one, two, one, two, one]) sockets.push(await connectSocket(server.url, user.cookie));
      const acks = await Promise.all(
        sockets.flatMap((socket) =>
          Array.from({ length: 30 }, () =>
            emitUntypedWithAck(socket, "message:send", [
              { conversationId: channel, clientMessageId: randomUUID(), text: "x" },
            ]),
          ),
        ),
      ).then((all) => all.map((ack) => ackSchema.parse(ack)));
      const accepted = acks.filter((a) => a.ok).length;
      expect(accepted).toBeLessThanOrEqual(120);
      expect(acks.filter((a) => !a.ok && a.error.code === "rate_limited")).toHaveLength(150 - accepted);
      expect(await fullHistory(one.url, user.cookie, channel)).toHaveLength(accepted);
    } finally {
      for (const socket of sockets) socket.close();
      await cluster.close();
    }
  });
});
