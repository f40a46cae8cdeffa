import { randomUUID } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { messageSchema, wireErrorSchema, type Message } from "@/lib/protocol";
import { createChannel, fullHistory, generalId, joinChannel, uniqueChannelName } from "../helpers/chat";
import { signIn, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { createDataDir, startCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";
import { connectSocket, emitUntypedWithAck, type ClientSocket } from "../helpers/socket";

/**
 * A send batch is one statement, so one row the database refuses used to fail
 * every send stored with it. A trigger that refuses any text containing POISON
 * stands in for whatever a row may do; it is installed in the test's database,
 * never in Parley's schema.
 */
const POISON_TRIGGER = `
  create function parley_test_poison() returns trigger language plpgsql as $$
  begin
    if new.text like '%POISON%' then raise exception 'poisoned message'; end if;
    return new;
  end $$;
  create trigger parley_test_poison before insert on messages for each row execute function parley_test_poison();`;

const ackSchema = z.union([
  z.object({ ok: z.literal(true), data: messageSchema }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);
type SendAck = z.infer<typeof ackSchema>;

/** The property sends far faster than a person may: the write limits (tested elsewhere) stay out of its way. */
const unlimited = { SOCKET_WRITES_PER_SECOND: "1000" };

describe("a send batch in which one send fails", () => {
  let server: TestServer;
  let ownDataDir: string | undefined;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    if (process.env.TEST_DATABASE_URL) {
      server = await startTestServer({ env: unlimited });
      const sql = postgres(server.databaseUrl!, { max: 1, onnotice: () => {} });
      await sql.unsafe(POISON_TRIGGER);
      await sql.end();
    } else {
      // PGlite allows one process per data directory: install the trigger while the server is stopped.
      ownDataDir = createDataDir();
      const authSecret = randomUUID() + randomUUID();
      // A copy of the run's migrated database; without one, a first boot creates the tables.
      if (!existsSync(path.join(ownDataDir, "pglite"))) {
        await (await startTestServer({ dataDir: ownDataDir, authSecret })).close();
      }
      const { PGlite } = await import("@electric-sql/pglite");
      const pglite = await PGlite.create(path.join(ownDataDir, "pglite"));
      await pglite.exec(POISON_TRIGGER);
      await pglite.close();
      server = await startTestServer({ dataDir: ownDataDir, authSecret, env: unlimited });
    }
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    carol = await signUpAndSignIn(server.url, { name: "Carol" });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  });

  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };
  const channelWithAliceAndBob = async () => {
    const channel = await createChannel(server.url, alice.cookie, uniqueChannelName("batch"));
    await joinChannel(server.url, bob.cookie, channel.id);
    return channel.id;
  };
  /** Emitted in one synchronous loop, so that the server reads them together and stores them in batches. */
  const sendAll = (sends: { socket: ClientSocket; input: unknown }[]): Promise<SendAck[]> =>
    Promise.all(
      sends.map(async ({ socket, input }) =>
        ackSchema.parse(await emitUntypedWithAck(socket, "message:send", [input])),
      ),
    );
  const expectGapless = (messages: Message[]) =>
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: messages.length }, (_, i) => i + 1));

  it("stores every other send and refuses only the one that failed", async () => {
    const socket = await connect(alice);
    const conversationId = await channelWithAliceAndBob();
    const texts = Array.from({ length: 20 }, (_, i) => (i % 5 === 3 ? `POISON ${i}` : `fine ${i}`));
    const acks = await sendAll(
      texts.map((text) => ({ socket, input: { conversationId, clientMessageId: randomUUID(), text } })),
    );

    acks.forEach((ack, i) => {
      if (texts[i]!.startsWith("POISON")) expect(ack).toMatchObject({ ok: false, error: { code: "internal" } });
      else expect(ack, `send ${i}`).toMatchObject({ ok: true, data: { text: texts[i] } });
    });
    const stored = await fullHistory(server.url, alice.cookie, conversationId);
    expect(stored.map((m) => m.text).sort()).toEqual(texts.filter((t) => t.startsWith("fine")).sort());
    expectGapless(stored);
  });

  it("never fails a well-formed send, whatever else shares its batch (property)", async () => {
    const [aliceSocket, bobSocket, carolSocket] = await Promise.all([connect(alice), connect(bob), connect(carol)]);
    // A clientMessageId already used in another conversation before the batch: refused whatever the order.
    const usedInGeneral = randomUUID();
    const general = await generalId(server.url, alice.cookie);
    expect(
      await emitUntypedWithAck(aliceSocket, "message:send", [
        { conversationId: general, clientMessageId: usedInGeneral, text: "hello" },
      ]),
    ).toMatchObject({ ok: true });
    const kinds = [
      "good",
      "goodFromBob",
      "poison",
      "nonMember",
      "unknownConversation",
      "resend",
      "reusedElsewhere",
      "loneSurrogate",
      "nul",
      "empty",
    ] as const;
    type Kind = (typeof kinds)[number];
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`batch-isolation property seed: ${seed} (set FUZZ_SEED to replay)`);

    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 24 }), async (plan) => {
        const conversationId = await channelWithAliceAndBob();
        const earlierGood: { clientMessageId: string; text: string }[] = [];
        const sends = plan.map((kind: Kind, i) => {
          const text = `${kind} ${i}`;
          const fresh = { conversationId, clientMessageId: randomUUID(), text };
          const earlier = earlierGood.at(-1);
          const good = () => {
            earlierGood.push(fresh);
            return { socket: aliceSocket, input: fresh, expect: "stored" as const };
          };
          switch (kind) {
            case "good":
              return good();
            case "goodFromBob":
              return { socket: bobSocket, input: fresh, expect: "stored" as const };
            case "poison":
              return { socket: aliceSocket, input: { ...fresh, text: `POISON ${i}` }, expect: "internal" as const };
            case "nonMember":
              return { socket: carolSocket, input: fresh, expect: "forbidden" as const };
            case "unknownConversation":
              return { socket: aliceSocket, input: { ...fresh, conversationId: randomUUID() }, expect: "not_found" };
            case "resend":
              return earlier
                ? { socket: aliceSocket, input: { ...fresh, ...earlier }, expect: "same" as const }
                : good();
            case "reusedElsewhere":
              return {
                socket: aliceSocket,
                input: { ...fresh, clientMessageId: usedInGeneral },
                expect: "conflict" as const,
              };
            case "loneSurrogate":
              return { socket: aliceSocket, input: { ...fresh, text: "é\udfff" }, expect: "bad_request" as const };
            case "nul":
              return { socket: aliceSocket, input: { ...fresh, text: "a\u0000b" }, expect: "bad_request" as const };
            case "empty":
              return { socket: aliceSocket, input: { ...fresh, text: "  " }, expect: "bad_request" as const };
          }
        });

        const acks = await sendAll(sends);
        const stored = await fullHistory(server.url, alice.cookie, conversationId);
        const storedIds = new Map(stored.map((m) => [m.clientMessageId, m]));
        sends.forEach((send, i) => {
          const ack = acks[i]!;
          const input = send.input as { clientMessageId: string };
          if (send.expect === "stored" || send.expect === "same") {
            expect(ack, `send ${i} (${plan[i]})`).toMatchObject({ ok: true });
            expect(ack.ok && ack.data).toEqual(storedIds.get(input.clientMessageId));
          } else {
            expect(ack, `send ${i} (${plan[i]})`).toMatchObject({ ok: false, error: { code: send.expect } });
          }
        });
        const expectedStored = new Set(
          sends
            .filter((s) => s.expect === "stored")
            .map((s) => (s.input as { clientMessageId: string }).clientMessageId),
        );
        expect(new Set(storedIds.keys())).toEqual(expectedStored);
        expect(stored).toHaveLength(expectedStored.size);
        expectGapless(stored);
      }),
      { numRuns: 15, seed },
    );
  });
});

const clusterMissing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(clusterMissing.length > 0)("failing sends on two processes storing to one conversation", () => {
  let cluster: TestCluster;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    cluster = await startCluster(2);
    const sql = postgres(cluster.servers[0]!.databaseUrl!, { max: 1, onnotice: () => {} });
    await sql.unsafe(POISON_TRIGGER);
    await sql.end();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  it("stores every well-formed send of either process, numbered without gaps", async () => {
    const [one, two] = cluster.servers as [TestServer, TestServer];
    const alice = await signUpAndSignIn(one.url, { name: "Alice" });
    const bobOnOne = await signUpAndSignIn(one.url, { name: "Bob" });
    const bobCookie = await signIn(two.url, bobOnOne.email, bobOnOne.password);
    const channel = await createChannel(one.url, alice.cookie, uniqueChannelName("two"));
    await joinChannel(one.url, bobOnOne.cookie, channel.id);
    const onOne = await connectSocket(one.url, alice.cookie);
    const onTwo = await connectSocket(two.url, bobCookie!);
    sockets.push(onOne, onTwo);

    const sends = Array.from({ length: 40 }, (_, i) => ({
      socket: i % 2 === 0 ? onOne : onTwo,
      text: i % 4 === 1 ? `POISON ${i}` : `fine ${i}`,
    }));
    const acks = await Promise.all(
      sends.map(async ({ socket, text }) =>
        ackSchema.parse(
          await emitUntypedWithAck(socket, "message:send", [
            { conversationId: channel.id, clientMessageId: randomUUID(), text },
          ]),
        ),
      ),
    );

    acks.forEach((ack, i) => {
      const { text } = sends[i]!;
      if (text.startsWith("POISON")) expect(ack).toMatchObject({ ok: false, error: { code: "internal" } });
      else expect(ack, `send ${i}`).toMatchObject({ ok: true, data: { text } });
    });
    const stored = await fullHistory(two.url, bobCookie!, channel.id);
    expect(stored.map((m) => m.text).sort()).toEqual(
      sends
        .filter((s) => s.text.startsWith("fine"))
        .map((s) => s.text)
        .sort(),
    );
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
  });
});
