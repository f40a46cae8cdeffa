import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { messagePageSchema, messageSchema, wireErrorSchema, type Message } from "@/lib/protocol";
import { createChannel, fullHistory, generalId, joinChannel } from "../helpers/chat";
import { api, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitUntyped, emitUntypedWithAck, type ClientSocket } from "../helpers/socket";

/** Reproduce a run with FUZZ_SEED=<the printed seed>. */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = 5_000;
/**
 * One user each, with the production limits: the limits are part of what is
 * fuzzed, and each socket still gets a burst of 30 sends and one more every
 * third of a second through to the services.
 */
const SOCKETS = 8;
/** Events sent at once, spread over the sockets; the next wave goes when this one is answered. */
const WAVE = 80;
const ACK_TIMEOUT_MS = 20_000;
const RESERVED = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);

const ackSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);

type FuzzCase = { socket: number; event: string | number; args: unknown[]; ack: boolean };

describe("socket fuzzing", () => {
  let server: TestServer;
  let owner: SignedInUser;
  const users: SignedInUser[] = [];
  const sockets: ClientSocket[] = [];
  let general: string;
  let shared: string;
  /** A channel none of the fuzzing users is in. */
  let closed: string;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await signUpAndSignIn(server.url, { name: "Owner" });
    general = await generalId(server.url, owner.cookie);
    shared = (await createChannel(server.url, owner.cookie, "fuzz-shared")).id;
    closed = (await createChannel(server.url, owner.cookie, "fuzz-closed")).id;
    for (let i = 0; i < SOCKETS; i++) {
      const user = await signUpAndSignIn(server.url, { name: `Fuzzer ${i}` });
      await joinChannel(server.url, user.cookie, shared);
      users.push(user);
      sockets.push(await connectSocket(server.url, user.cookie));
    }
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it(
    `survives ${RUNS} generated events without crashing, answering internal or half-writing`,
    { timeout: 180_000 },
    async () => {
      console.log("fuzz seed", seed);
      const cases = fc.sample(fuzzCase([general, shared, closed]), { seed, numRuns: RUNS });

      /** Per `${senderId}:${clientMessageId}`: what the acks said. */
      const accepted = new Map<string, Message[]>();
      const refused = new Set<string>();
      const unanswered = new Set<string>();
      const internal: string[] = [];
      const malformed: string[] = [];
      let answered = 0;

      for (let start = 0; start < cases.length; start += WAVE) {
        await Promise.all(
          cases.slice(start, start + WAVE).map(async (c) => {
            const socket = sockets[c.socket]!;
            const key = sendKey(users[c.socket]!.user.id, c);
            if (!c.ack) {
              emitUntyped(socket, c.event as string, c.args);
              if (key) refused.add(key);
              return;
            }
            let ack: unknown;
            try {
              ack = await emitUntypedWithAck(socket, c.event as string, c.args, ACK_TIMEOUT_MS);
            } catch {
              if (key) unanswered.add(key);
              return;
            }
            answered++;
            const parsed = ackSchema.safeParse(ack);
            if (!parsed.success) return void malformed.push(`${describeCase(c)} -> ${JSON.stringify(ack)}`);
            if (!parsed.data.ok) {
              if (parsed.data.error.code === "internal") internal.push(describeCase(c));
              if (key) refused.add(key);
              return;
            }
            if (c.event === "message:send") {
              const message = messageSchema.safeParse(parsed.data.data);
              if (!message.success || !key) return void malformed.push(`${describeCase(c)} -> ${JSON.stringify(ack)}`);
              accepted.set(key, [...(accepted.get(key) ?? []), message.data]);
            } else if (c.event === "messages:history" && !messagePageSchema.safeParse(parsed.data.data).success) {
              malformed.push(`${describeCase(c)} -> ${JSON.stringify(ack).slice(0, 500)}`);
            }
          }),
        );
      }

      console.log(
        `fuzz: ${RUNS} events, ${answered} answered, ${accepted.size} sends stored, ${refused.size} refused or unacked`,
      );
      expect(internal).toEqual([]);
      expect(malformed).toEqual([]);
      expect(sockets.map((s) => s.connected)).toEqual(sockets.map(() => true));
      expect(unanswered.size).toBe(0);
      expect((await api(server.url).get("/healthz")).status).toBe(200);
      // The server process is still the one that started.
      expect(() => process.kill(server.pid, 0)).not.toThrow();

      const fuzzers = new Set(users.map((u) => u.user.id));
      const stored: Message[] = [];
      for (const conversationId of [general, shared, closed]) {
        const messages = await fullHistory(server.url, owner.cookie, conversationId);
        expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
        stored.push(...messages.filter((m) => fuzzers.has(m.sender.id)));
      }
      expect(stored.filter((m) => m.conversationId === closed)).toEqual([]);
      const storedByKey = new Map(stored.map((m) => [`${m.sender.id}:${m.clientMessageId}`, m]));
      // Each stored once: one row per sender and clientMessageId.
      expect(storedByKey.size).toBe(stored.length);
      // Every accepted send is stored, as its ack said, every time it was acknowledged.
      for (const [key, acks] of accepted) for (const ack of acks) expect(storedByKey.get(key)).toEqual(ack);
      // Nothing else was stored: every refused or unacknowledged send left no row.
      expect([...storedByKey.keys()].filter((key) => !accepted.has(key))).toEqual([]);
      expect([...refused].filter((key) => !accepted.has(key) && storedByKey.has(key))).toEqual([]);
    },
  );
});

/** The identity of a send whose first payload names a clientMessageId, or null. */
function sendKey(userId: string, c: FuzzCase): string | null {
  if (c.event !== "message:send") return null;
  const payload = c.args[0];
  if (typeof payload !== "object" || payload === null || !("clientMessageId" in payload)) return null;
  const id = (payload as { clientMessageId: unknown }).clientMessageId;
  return typeof id === "string" ? `${userId}:${id}` : null;
}

function describeCase(c: FuzzCase): string {
  return `${String(c.event)}(${JSON.stringify(c.args).slice(0, 300)})${c.ack ? "" : " without ack"}`;
}

function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function fuzzCase(conversationIds: string[]): fc.Arbitrary<FuzzCase> {
  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const strings = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom("\u0000", "a", " ", "\n", "é", "😀")), maxLength: 40 }),
    fc.constantFrom("", " \n\t ", "\u0000", "a\u0000b", "\ud800", "x\udc00y", "x".repeat(16_000), "x".repeat(16_001)),
    fc.constantFrom("y".repeat(60_000), "\u{1F600}".repeat(16_000)),
  );
  const numbers = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.NaN, -0, 1e308, -1e308, Number.POSITIVE_INFINITY, 2 ** 53 + 1, 0.5, -1, 0, 201),
  );
  const anything = fc.oneof(
    strings,
    numbers,
    fc.constantFrom(null, true, false, [], {}),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer({ min: 100, max: 3_000 }).map(nested),
    fc.uuid({ version: 4 }),
  );
  const conversationId = fc.oneof(fc.constantFrom(...conversationIds), fc.uuid({ version: 4 }), anything);
  // A few ids reused across the run, so that resends of one message (idempotency) are fuzzed too.
  const clientMessageId = fc.oneof(
    fc.uuid({ version: 4 }),
    fc.constantFrom(...Array.from({ length: 5 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`)),
    anything,
  );
  const text = fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), strings, anything);
  const send = fc.oneof(
    { weight: 3, arbitrary: fc.record({ conversationId: fc.constantFrom(...conversationIds), clientMessageId, text }) },
    { weight: 2, arbitrary: fc.record({ conversationId, clientMessageId, text }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: anything },
  );
  const seq = fc.oneof(fc.integer({ min: -1, max: 300 }), numbers, anything);
  const history = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record(
        { conversationId, before: seq, after: seq, limit: seq },
        { requiredKeys: ["conversationId"] },
      ),
    },
    { weight: 1, arbitrary: anything },
  );
  const unknownEvent = fc.oneof(
    fc.string({ maxLength: 30 }).filter((name) => !RESERVED.has(name)),
    fc.constantFrom("message:sned", "__proto__", "constructor", "toString", "hasOwnProperty", "messages:new", 42),
  );
  const call = (event: fc.Arbitrary<string | number>, payload: fc.Arbitrary<unknown>) =>
    fc.record({
      event,
      args: fc.oneof(
        { weight: 8, arbitrary: fc.tuple(payload) },
        { weight: 1, arbitrary: fc.array(payload, { maxLength: 3 }) },
      ),
      ack: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    });
  return fc
    .tuple(
      fc.integer({ min: 0, max: SOCKETS - 1 }),
      fc.oneof(
        { weight: 9, arbitrary: call(fc.constant("message:send"), send) },
        { weight: 7, arbitrary: call(fc.constant("messages:history"), history) },
        { weight: 4, arbitrary: call(unknownEvent, anything) },
      ),
    )
    .map(([socket, { event, args, ack }]) => ({ socket, event, args: args as unknown[], ack }));
}
