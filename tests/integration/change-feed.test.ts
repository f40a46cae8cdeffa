import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_STREAMS_PER_REQUEST, parseJsonBytes } from "@/lib/protocol";
import type { Socket } from "socket.io-client";
import {
  createChannel,
  generalId,
  joinChannel,
  openDirect,
  sendMessage,
  sidebar,
  uniqueChannelName,
} from "../helpers/chat";
import { FeedClient } from "../helpers/feed-client";
import { api, signUpAndSignIn, type ApiResponse, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestServer } from "../helpers/server";
import { changePageOf, connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

/** Everyone's requests in these tests are allowed to fail with a 4xx; never with a 5xx. */
function expectNoServerError(res: ApiResponse): ApiResponse {
  expect(res.status, `server error: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  return res;
}

type Servers = {
  /** Where everyone but Cleo's feed client acts. */
  acts: TestServer;
  /** Where Cleo's feed client connects. */
  client: TestServer;
  close: () => Promise<void>;
};

const fast = { SOCKET_WRITES_PER_SECOND: "1000" };

async function oneProcess(): Promise<Servers> {
  const server = await startTestServer({ env: fast });
  return { acts: server, client: server, close: server.close };
}

async function twoProcesses(): Promise<Servers> {
  const cluster = await startCluster(2, fast);
  const [one, two] = cluster.servers as [TestServer, TestServer];
  return { acts: one, client: two, close: cluster.close };
}

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

changeFeedTests("the change feed", oneProcess, { everyKind: true });
// Live changes made on one process reach the client on the other through the relay.
changeFeedTests("the change feed across two processes", twoProcesses, { everyKind: false, skip: missing.length > 0 });

function changeFeedTests(
  title: string,
  start: () => Promise<Servers>,
  options: { everyKind: boolean; skip?: boolean },
) {
  /** The tests of each kind of change and of refusals run once, on one process. */
  const itOnce = options.everyKind ? it : it.skip;
  const describeOnce = options.everyKind ? describe : describe.skip;
  describe.skipIf(options.skip ?? false)(title, () => {
    let servers: Servers;
    let server: TestServer;
    let admin: SignedInUser;
    let bob: SignedInUser;
    let cleo: SignedInUser;
    let dan: SignedInUser;
    let eve: SignedInUser;
    let finn: SignedInUser;
    /** Cleo's other device: it marks her read positions and sends as her. */
    let cleoPhone: ClientSocket;
    let adminSocket: ClientSocket;
    const sockets: ClientSocket[] = [];
    const clients: FeedClient[] = [];

    const as = (user: SignedInUser) => api(server.url, user.cookie);
    const path = (id: string, rest = "") => `/api/conversations/${id}${rest}`;

    /** What people other than Cleo's feed client do: each is one kind of change. */
    const actions = {
      join: async (who: SignedInUser, id: string) => expectNoServerError(await as(who).post(path(id, "/join"))),
      leave: async (who: SignedInUser, id: string) => expectNoServerError(await as(who).post(path(id, "/leave"))),
      add: async (who: SignedInUser, id: string) =>
        expectNoServerError(await as(admin).post(path(id, "/members"), { userIds: [who.user.id] })),
      remove: async (who: SignedInUser, id: string) =>
        expectNoServerError(await as(admin).request("DELETE", path(id, `/members/${who.user.id}`))),
      rename: async (id: string) =>
        expectNoServerError(
          await as(admin).request("PATCH", path(id), { json: { name: uniqueChannelName("renamed") } }),
        ),
      topic: async (id: string, topic = `topic ${randomUUID().slice(0, 6)}`) =>
        expectNoServerError(await as(bob).request("PATCH", path(id), { json: { topic } })),
      description: async (id: string) =>
        expectNoServerError(
          await as(admin).request("PATCH", path(id), { json: { description: `about ${randomUUID().slice(0, 6)}` } }),
        ),
      archive: async (id: string) => expectNoServerError(await as(admin).post(path(id, "/archive"))),
      unarchive: async (id: string) => expectNoServerError(await as(admin).request("DELETE", path(id, "/archive"))),
      makePrivate: async (id: string) => expectNoServerError(await as(admin).post(path(id, "/private"))),
      read: async (id: string, seq: number) => {
        const ack = await emitWithAck(cleoPhone, "conversation:read", { conversationId: id, seq });
        if (!ack.ok) expect(["not_found", "forbidden"]).toContain(ack.error.code);
      },
      send: async (id: string) => {
        const ack = await emitWithAck(adminSocket, "message:send", {
          conversationId: id,
          clientMessageId: randomUUID(),
          text: "news",
        });
        if (!ack.ok) expect(["not_found", "forbidden"]).toContain(ack.error.code);
      },
      edit: async (id: string, seq: number) => {
        const ack = await emitWithAck(adminSocket, "message:edit", { conversationId: id, seq, text: `edited ${seq}` });
        if (!ack.ok) expect(["not_found", "forbidden"]).toContain(ack.error.code);
      },
      deleteMessage: async (id: string, seq: number) => {
        const ack = await emitWithAck(adminSocket, "message:delete", { conversationId: id, seq });
        if (!ack.ok) expect(["not_found", "forbidden"]).toContain(ack.error.code);
      },
      react: async (id: string, seq: number, present = true) => {
        const ack = await emitWithAck(adminSocket, present ? "reaction:add" : "reaction:remove", {
          conversationId: id,
          seq,
          emoji: "🎉",
        });
        if (!ack.ok) expect(["not_found", "forbidden"]).toContain(ack.error.code);
      },
      direct: async (from: SignedInUser, others: SignedInUser[]) =>
        expectNoServerError(
          await as(from).post("/api/conversations/direct", {
            userIds: [cleo.user.id, ...others.map((p) => p.user.id)],
          }),
        ),
    };

    /** Channels made by the admin: two Cleo is in (one with Bob too), one she is not, and a private one of each. */
    const world = async () => {
      const make = (isPrivate = false) =>
        createChannel(server.url, admin.cookie, uniqueChannelName("feed"), { isPrivate }).then((c) => c.id);
      const [pub, pub2, other, priv, privIn] = [
        await make(),
        await make(),
        await make(),
        await make(true),
        await make(true),
      ];
      await joinChannel(server.url, cleo.cookie, pub);
      await joinChannel(server.url, bob.cookie, pub);
      await joinChannel(server.url, cleo.cookie, pub2);
      await actions.add(cleo, privIn);
      for (let i = 0; i < 3; i += 1) await sendMessage(adminSocket, pub, `message ${i}`);
      return { pub, pub2, other, priv, privIn };
    };

    const loadCleo = async () => {
      const client = await FeedClient.load(servers.client.url, cleo.cookie, cleo.user.id);
      clients.push(client);
      return client;
    };
    /** Cleo's client comes to the state of a fresh load, once everything that happened has reached it. */
    const expectConverged = async (client: FeedClient) => {
      const fresh = await FeedClient.freshState(servers.client.url, cleo.cookie, cleo.user.id);
      await expect
        .poll(
          async () => {
            await client.idle();
            return client.state();
          },
          { timeout: 5_000 },
        )
        .toEqual(fresh);
    };

    beforeAll(async () => {
      servers = await start();
      server = servers.acts;
      admin = await signUpAndSignIn(server.url, { name: "Admin" });
      [bob, cleo, dan, eve, finn] = [
        await signUpAndSignIn(server.url, { name: "Bob" }),
        await signUpAndSignIn(server.url, { name: "Cleo" }),
        await signUpAndSignIn(server.url, { name: "Dan" }),
        await signUpAndSignIn(server.url, { name: "Eve" }),
        await signUpAndSignIn(server.url, { name: "Finn" }),
      ];
      cleoPhone = await connectSocket(server.url, cleo.cookie);
      adminSocket = await connectSocket(server.url, admin.cookie);
      sockets.push(cleoPhone, adminSocket);
    });
    afterAll(async () => {
      for (const client of clients) client.disconnect();
      for (const socket of sockets) socket.close();
      await servers?.close();
    });

    type World = Awaited<ReturnType<typeof world>>;
    const kinds: [string, (w: World) => Promise<unknown>, ((w: World) => Promise<unknown>)?][] = [
      ["she joined a channel on another device", (w) => actions.join(cleo, w.other)],
      ["she was added to a private channel", (w) => actions.add(cleo, w.priv)],
      ["she was removed from a private channel", (w) => actions.remove(cleo, w.privIn)],
      ["she was removed from a public channel", (w) => actions.remove(cleo, w.pub)],
      ["she left a channel on another device", (w) => actions.leave(cleo, w.pub)],
      ["someone else joined a channel she is in", (w) => actions.join(dan, w.pub)],
      ["someone else left a channel she is in", (w) => actions.leave(bob, w.pub)],
      ["someone else was added to a private channel she is in", (w) => actions.add(dan, w.privIn)],
      ["a channel was renamed", (w) => actions.rename(w.pub)],
      ["a topic was set", (w) => actions.topic(w.pub)],
      ["a description was set", (w) => actions.description(w.pub)],
      ["a channel was archived", (w) => actions.archive(w.pub)],
      ["a channel was unarchived", (w) => actions.unarchive(w.pub), (w) => actions.archive(w.pub)],
      ["a channel was made private", (w) => actions.makePrivate(w.pub)],
      ["she read further on another device", (w) => actions.read(w.pub, 2)],
      ["messages were sent", (w) => actions.send(w.pub2)],
      ["a message was edited", (w) => actions.edit(w.pub, 2)],
      ["a message was deleted", (w) => actions.deleteMessage(w.pub, 3)],
      ["someone reacted to a message", (w) => actions.react(w.pub, 2)],
      ["someone took a reaction back", (w) => actions.react(w.pub, 2, false), (w) => actions.react(w.pub, 2)],
      ["a message with reactions was deleted", (w) => actions.deleteMessage(w.pub, 1), (w) => actions.react(w.pub, 1)],
      [
        "a message was edited and then deleted",
        (w) => actions.edit(w.pub, 1).then(() => actions.deleteMessage(w.pub, 1)),
      ],
      ["a direct message was started with her", () => actions.direct(eve, [])],
      ["a group was started with her", () => actions.direct(eve, [dan])],
    ];

    itOnce.each(kinds)("catches up after being offline while %s", async (_, act, before) => {
      const w = await world();
      if (before) await before(w);
      const client = await loadCleo();
      await client.connect();
      client.disconnect();

      await act(w);

      await client.connect();
      await expectConverged(client);
    });

    it("catches up after being offline through every kind of change at once", async () => {
      const w = await world();
      const client = await loadCleo();
      await client.connect();
      client.disconnect();

      await actions.join(cleo, w.other);
      await actions.add(cleo, w.priv);
      await actions.remove(cleo, w.privIn);
      await actions.leave(cleo, w.pub2);
      await actions.join(dan, w.pub);
      await actions.leave(bob, w.pub);
      await actions.rename(w.pub);
      await actions.topic(w.pub);
      await actions.description(w.other);
      await actions.archive(w.other);
      await actions.archive(w.pub);
      await actions.unarchive(w.pub);
      await actions.makePrivate(w.pub);
      await actions.read(w.pub, 3);
      await actions.edit(w.pub, 1);
      await actions.deleteMessage(w.pub, 2);
      await actions.react(w.pub, 1);
      await actions.direct(finn, []);
      await actions.direct(finn, [bob]);

      await client.connect();
      await expectConverged(client);
    });

    it("keeps the same state as a fresh load through any interleaving of changes, connected or not", async () => {
      // By name, so that a counterexample reads well.
      const byName = () => ({ cleo, bob, dan, eve, finn });
      const people = () => fc.constantFrom("cleo", "cleo", "bob", "dan" as const);
      const step = fc.oneof(
        fc.record({ op: fc.constant("join" as const), who: people(), ch: fc.nat(4) }),
        fc.record({ op: fc.constant("leave" as const), who: people(), ch: fc.nat(4) }),
        fc.record({ op: fc.constant("add" as const), who: people(), ch: fc.nat(4) }),
        fc.record({ op: fc.constant("remove" as const), who: people(), ch: fc.nat(4) }),
        fc.record({
          op: fc.constantFrom("rename", "topic", "description", "archive", "unarchive", "makePrivate", "send"),
          ch: fc.nat(4),
        }),
        fc.record({ op: fc.constant("read" as const), ch: fc.nat(4), seq: fc.nat(6) }),
        fc.record({
          op: fc.constantFrom("edit", "deleteMessage", "react"),
          ch: fc.nat(4),
          seq: fc.integer({ min: 1, max: 4 }),
        }),
        fc.record({
          op: fc.constant("direct" as const),
          from: fc.constantFrom("bob", "dan", "eve" as const),
          with: fc.subarray(["finn", "eve"] as const),
        }),
        fc.record({ op: fc.constant("toggle" as const) }),
      );

      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
          const w = await world();
          const channels = [w.pub, w.pub2, w.other, w.priv, w.privIn];
          const client = await loadCleo();
          await client.connect();
          let online = true;
          for (const s of steps) {
            const ch = "ch" in s ? channels[s.ch]! : "";
            switch (s.op) {
              case "toggle":
                if (online) client.disconnect();
                else await client.connect();
                online = !online;
                break;
              case "join":
              case "leave":
              case "add":
              case "remove":
                await actions[s.op](byName()[s.who], ch);
                break;
              case "read":
                await actions.read(ch, s.seq);
                break;
              case "edit":
              case "deleteMessage":
              case "react":
                await actions[s.op](ch, s.seq);
                break;
              case "direct":
                await actions.direct(
                  byName()[s.from],
                  s.with.filter((p) => p !== s.from).map((p) => byName()[p]),
                );
                break;
              default:
                await actions[s.op](ch);
            }
          }
          if (!online) await client.connect();
          await expectConverged(client);
          client.disconnect();
        }),
        { numRuns: 12 },
      );
      // Twelve worlds, each loaded fresh with every conversation's members and history: on two busy cores
      // that takes most of a minute.
    }, 180_000);

    itOnce("keeps one change per thing: fifty topics later, catching up returns the last", async () => {
      const { pub } = await world();
      const client = await loadCleo();
      const held = client.state().conversations.find((c) => c.id === pub)!.changeSeq;
      for (let i = 1; i <= 50; i += 1) await actions.topic(pub, `topic ${i}`);

      const ack = await emitWithAck(cleoPhone, "changes:list", { streams: [{ id: pub, after: held }] });
      if (!ack.ok) throw new Error(ack.error.message);
      const [stream] = changePageOf(ack.data).streams;
      expect(stream?.hasMore).toBe(false);
      expect(stream?.changes).toHaveLength(1);
      expect(stream?.changes[0]).toMatchObject({
        seq: held + 50,
        data: { kind: "conversation", conversation: { id: pub, topic: "topic 50" } },
      });
      await client.connect();
      await expectConverged(client);
    });

    itOnce("tells members who joined by id and name only, live and in the feed, whatever way they joined", async () => {
      const general = await generalId(server.url, admin.cookie);
      const { other } = await world();
      const heardRaw: unknown[] = [];
      (adminSocket as unknown as Socket).on("changes", (changes: unknown) => heardRaw.push(changes));
      const before = (await sidebar(server.url, admin.cookie)).conversations;
      const positions = [general, other].map((id) => ({ id, after: before.find((c) => c.id === id)!.changeSeq }));

      const newcomer = await signUpAndSignIn(server.url, { name: "Gus" });
      await joinChannel(server.url, newcomer.cookie, other);

      const listed = await emitWithAck(adminSocket, "changes:list", { streams: positions });
      if (!listed.ok) throw new Error(listed.error.message);
      const expected = { id: newcomer.user.id, name: "Gus" };
      expect(membersIn(parseJsonBytes(listed.data))).toEqual([expected, expected]);
      await expect.poll(() => membersIn(heardRaw)).toEqual([expected, expected]);
    });

    describeOnce("changes:list refuses", () => {
      const list = (socket: ClientSocket, streams: { id: string; after: number }[]) =>
        emitWithAck(socket, "changes:list", { streams });

      it("another person's stream, and a private channel's or direct message's to a non-member, as not_found", async () => {
        const { priv } = await world();
        const dm = await openDirect(server.url, admin.cookie, [bob.user.id]);
        for (const id of [bob.user.id, priv, dm.id, randomUUID()]) {
          // Asked alone, and along with her own stream: one refused stream refuses the request.
          for (const streams of [
            [{ id, after: 0 }],
            [
              { id: cleo.user.id, after: 0 },
              { id, after: 0 },
            ],
          ]) {
            expect(await list(cleoPhone, streams)).toMatchObject({ ok: false, error: { code: "not_found" } });
          }
        }
      });

      it("a public channel's stream to someone who has not joined it, as forbidden", async () => {
        const { other } = await world();
        expect(await list(cleoPhone, [{ id: other, after: 0 }])).toMatchObject({
          ok: false,
          error: { code: "forbidden" },
        });
      });

      it("more than the most streams at a time, the same stream twice, and bad positions", async () => {
        const many = Array.from({ length: MAX_STREAMS_PER_REQUEST + 1 }, () => ({ id: randomUUID(), after: 0 }));
        const own = { id: cleo.user.id, after: 0 };
        for (const streams of [many, [own, own], [{ ...own, after: -1 }], [{ ...own, after: 0.5 }], []]) {
          expect(await list(cleoPhone, streams)).toMatchObject({ ok: false, error: { code: "bad_request" } });
        }
        expect(await list(cleoPhone, [own])).toMatchObject({ ok: true });
      });
    });
  });
}

/** The `member` of every member change in a payload as it came over the wire, unparsed: extra fields and all. */
function membersIn(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw.flatMap(membersIn);
  if (typeof raw !== "object" || raw === null) return [];
  const record = raw as Record<string, unknown>;
  if (record.kind === "member") return [record.member];
  return Object.values(record).flatMap(membersIn);
}
