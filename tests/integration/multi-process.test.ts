import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { createChannel, fullHistory, generalId, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, expectError, signIn, signOut, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, type TestCluster, type TestServer } from "../helpers/server";
import {
  captureChanges,
  captureEvents,
  captureMessages,
  connectSocket,
  joinedOrLeft,
  nextDisconnect,
  type ClientSocket,
} from "../helpers/socket";

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);
if (missing.length > 0 && process.env.CI) {
  throw new Error(
    `The multi-process tests need PostgreSQL and Redis, but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set. ` +
      "They are skipped locally without them, never in CI.",
  );
}

/** Long enough for a duplicate to cross Redis and arrive, when proving it does not. */
const SETTLE_MS = 500;

describe.skipIf(missing.length > 0)("two processes sharing PostgreSQL and Redis", () => {
  let cluster: TestCluster;
  let one: TestServer;
  let two: TestServer;
  let alice: SignedInUser;
  let bob: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (server: TestServer, cookie: string) => {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    // On an empty database, as two processes of a new install: both boot at once and race to migrate it.
    cluster = await startCluster(2, {}, { emptyDatabase: true });
    [one, two] = cluster.servers as [TestServer, TestServer];
    alice = await signUpAndSignIn(one.url, { name: "Alice" });
    // Signed up on one process, signed in on the other: they share the database and the secret.
    const bobOnOne = await signUpAndSignIn(one.url, { name: "Bob" });
    const bobCookie = await signIn(two.url, bobOnOne.email, bobOnOne.password);
    if (!bobCookie) throw new Error("Bob could not sign in on the second process");
    bob = { ...bobOnOne, cookie: bobCookie };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  it("runs both processes on PostgreSQL with Redis fan-out", () => {
    for (const server of [one, two]) {
      expect(server.output()).toContain("(database: postgres, fan-out: redis)");
    }
    expect(one.port).not.toBe(two.port);
  });

  it("delivers a message sent on either process live, once, to sockets on both", async () => {
    const general = await generalId(one.url, alice.cookie);
    const aliceOnOne = await connect(one, alice.cookie);
    const aliceOnTwo = await connect(two, alice.cookie);
    const bobOnTwo = await connect(two, bob.cookie);
    const bobOnOne = await connect(one, bob.cookie);
    const [heardByAliceOnOne, ...others] = [aliceOnOne, aliceOnTwo, bobOnOne, bobOnTwo].map((s) => captureMessages(s));
    const [heardByAliceOnTwo, heardByBobOnOne, heardByBobOnTwo] = others;

    // Each sending socket has its message in the ack; every other socket, on either process, gets it live.
    const fromOne = await sendMessage(aliceOnOne, general, "sent on process one");
    for (const capture of others) expect(await capture.waitFor(1)).toEqual([fromOne]);
    const fromTwo = await sendMessage(bobOnTwo, general, "sent on process two");
    expect(await heardByAliceOnOne!.waitFor(1)).toEqual([fromTwo]);
    expect(await heardByAliceOnTwo!.waitFor(2)).toEqual([fromOne, fromTwo]);
    expect(await heardByBobOnOne!.waitFor(2)).toEqual([fromOne, fromTwo]);

    expect(await heardByAliceOnOne!.settle(SETTLE_MS)).toEqual([fromTwo]);
    expect(await heardByAliceOnTwo!.settle(SETTLE_MS)).toEqual([fromOne, fromTwo]);
    expect(await heardByBobOnOne!.settle(SETTLE_MS)).toEqual([fromOne, fromTwo]);
    expect(await heardByBobOnTwo!.settle(SETTLE_MS)).toEqual([fromOne]);
    expect(fromTwo.seq).toBe(fromOne.seq + 1);
  });

  it("moves a user's sockets on the other process into a channel they join, and out when they leave", async () => {
    const channel = await createChannel(one.url, alice.cookie, uniqueChannelName("cross"));
    const aliceOnOne = await connect(one, alice.cookie);
    const bobOnTwo = await connect(two, bob.cookie);
    const bobOnOne = await connect(one, bob.cookie);
    const joinedOnTwo = captureChanges(bobOnTwo, "membership");
    const heardOnTwo = captureMessages(bobOnTwo);

    // Joined through process one; the socket on process two is told and moved into the room.
    const joined = await joinChannel(one.url, bob.cookie, channel.id);
    expect(joinedOrLeft(await joinedOnTwo.waitFor(1))).toEqual([joined]);
    const welcome = await sendMessage(aliceOnOne, channel.id, "welcome");
    expect(await heardOnTwo.waitFor(1)).toEqual([welcome]);

    // Left through process two; the socket on process one is told and taken out.
    const leftOnOne = captureChanges(bobOnOne, "membership");
    const heardOnOne = captureMessages(bobOnOne);
    expect((await api(two.url, bob.cookie).post(`/api/conversations/${channel.id}/leave`)).status).toBe(204);
    expect(joinedOrLeft(await leftOnOne.waitFor(1))).toEqual([{ left: channel.id }]);
    // Alice's socket on process two witnesses the broadcast, so Bob's silence below means something.
    const aliceHears = captureMessages(await connect(two, alice.cookie));
    const afterLeaving = await sendMessage(aliceOnOne, channel.id, "bob has gone");
    expect(await aliceHears.waitFor(1)).toEqual([afterLeaving]);
    expect(await heardOnOne.settle(SETTLE_MS)).toEqual([]);
    expect(await heardOnTwo.settle()).toEqual([welcome]);
  });

  it("disconnects a session's sockets on both processes when it signs out on one", async () => {
    const cookie = await signIn(two.url, alice.email, alice.password);
    if (!cookie) throw new Error("sign-in failed");
    const onOne = await connect(one, cookie);
    const onTwo = await connect(two, cookie);
    const disconnects = [nextDisconnect(onOne), nextDisconnect(onTwo)];

    expect((await signOut(one.url, cookie)).status).toBe(200);
    expect(await Promise.all(disconnects)).toEqual(["io server disconnect", "io server disconnect"]);
    expectError(await api(two.url, cookie).get("/api/me"), 401, "unauthorized");
  });

  it("orders many concurrent senders on both processes without gaps, duplicates or lost deliveries", async () => {
    const people = await Promise.all(
      ["Carol", "Dave", "Erin", "Frank"].map((name) => signUpAndSignIn(one.url, { name })),
    );
    const channel = await createChannel(one.url, people[0]!.cookie, uniqueChannelName("load"));
    for (const person of people.slice(1)) await joinChannel(two.url, person.cookie, channel.id);
    // Each person has one socket on each process: 8 senders, which are also the receivers.
    const senders = await Promise.all(
      people.flatMap((person) => [connect(one, person.cookie), connect(two, person.cookie)]),
    );
    const captures = senders.map((socket) => captureMessages(socket));
    const events = senders.map((socket) => captureEvents(socket, "messages:new"));
    const perSender = 25;
    const total = senders.length * perSender;

    const acked: Message[] = await Promise.all(
      senders.flatMap((socket, s) =>
        Array.from({ length: perSender }, (_, i) => sendMessage(socket, channel.id, `sender ${s} message ${i}`)),
      ),
    );

    const everySeq = Array.from({ length: total }, (_, i) => i + 1);
    expect(acked.map((m) => m.seq).sort((a, b) => a - b)).toEqual(everySeq);
    const ackedIds = new Set(acked.map((m) => m.id));
    expect(ackedIds.size).toBe(total);

    const stored = await fullHistory(two.url, people[1]!.cookie, channel.id);
    expect(stored.map((m) => m.seq)).toEqual(everySeq);
    expect(new Set(stored.map((m) => m.id))).toEqual(ackedIds);
    const byId = new Map(acked.map((m) => [m.id, m]));
    for (const message of stored) expect(message).toEqual(byId.get(message.id));

    // Every socket hears every message but its own, which it has from its acks.
    for (const capture of captures) await capture.waitFor(total - perSender, 30_000);
    const received = await Promise.all(captures.map((c) => c.settle(SETTLE_MS)));
    received.forEach((events, s) => {
      expect(events).toHaveLength(total - perSender);
      const own = acked.slice(s * perSender, (s + 1) * perSender).map((m) => m.id);
      expect(new Set([...events.map((m) => m.id), ...own])).toEqual(ackedIds);
    });
    // Messages relayed from the other process join this one's groups: every group is still in order.
    for (const capture of events) {
      for (const group of await capture.settle()) {
        const seqs = group.map((m) => m.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
    }
  });
});
