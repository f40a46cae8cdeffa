import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { personSchema, type Conversation } from "@/lib/protocol";
import { openDirect, sendMessage, sidebar } from "../helpers/chat";
import { expectHidden } from "../helpers/conversation-access";
import { api, expectBody, expectError, signIn, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";
import {
  captureChanges,
  captureMessages,
  connectSocket,
  emitWithAck,
  joinedOrLeft,
  type ClientSocket,
} from "../helpers/socket";
import { conversationCounts, deactivate, openTestSql } from "../helpers/test-db";

/** Long enough for a wrongly delivered message to arrive, when proving it does not. */
const SETTLE_MS = 500;

const byName = (people: SignedInUser[]) =>
  people
    .map((p) => ({ id: p.user.id, name: p.user.name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

async function members(baseUrl: string, cookie: string, id: string) {
  const res = await api(baseUrl, cookie).get(`/api/conversations/${id}/members`);
  return expectBody(res, 200, z.object({ members: z.array(personSchema) })).members;
}

describe("direct and group messages", () => {
  let server: TestServer;
  let sql: postgres.Sql | undefined;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  let dave: SignedInUser;
  const sockets: ClientSocket[] = [];
  const connect = async (user: SignedInUser) => {
    const socket = await connectSocket(server.url, user.cookie);
    sockets.push(socket);
    return socket;
  };
  const person = (name: string) => signUpAndSignIn(server.url, { name });

  beforeAll(async () => {
    server = await startTestServer();
    sql = openTestSql(server);
    alice = await person("Alice");
    bob = await person("Bob");
    carol = await person("Carol");
    dave = await person("Dave");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await sql?.end({ timeout: 5 });
    await server?.close();
  });

  it("finds a direct message again, with the same id, from either side", async () => {
    const first = await openDirect(server.url, alice.cookie, [bob.user.id]);
    expect(first).toMatchObject({ kind: "dm", name: null, isPrivate: false, memberCount: 2, lastSeq: 0 });
    expect(first.members).toEqual(byName([alice, bob]));

    expect((await openDirect(server.url, alice.cookie, [bob.user.id])).id).toBe(first.id);
    const fromBob = await openDirect(server.url, bob.cookie, [alice.user.id]);
    expect(fromBob.id).toBe(first.id);
    expect(fromBob.members).toEqual(first.members);
    expect(await members(server.url, bob.cookie, first.id)).toEqual(byName([alice, bob]));
    for (const user of [alice, bob]) {
      expect((await sidebar(server.url, user.cookie)).conversations.filter((c) => c.id === first.id)).toHaveLength(1);
    }
  });

  it("gives each person a notepad of their own, found again, apart from their direct messages", async () => {
    const notepad = await openDirect(server.url, carol.cookie, [carol.user.id]);
    expect(notepad).toMatchObject({ kind: "dm", memberCount: 1, members: byName([carol]) });
    expect((await openDirect(server.url, carol.cookie, [carol.user.id])).id).toBe(notepad.id);

    const withBob = await openDirect(server.url, carol.cookie, [bob.user.id]);
    const bobsNotepad = await openDirect(server.url, bob.cookie, [bob.user.id]);
    expect(new Set([notepad.id, withBob.id, bobsNotepad.id]).size).toBe(3);
    expect((await sidebar(server.url, bob.cookie)).conversations.map((c) => c.id)).not.toContain(notepad.id);
  });

  it("finds a group again whoever starts it and in whatever order the others are named", async () => {
    const group = await openDirect(server.url, alice.cookie, [bob.user.id, carol.user.id]);
    expect(group).toMatchObject({ kind: "group", name: null, memberCount: 3, members: byName([alice, bob, carol]) });

    const again = await Promise.all([
      openDirect(server.url, alice.cookie, [carol.user.id, bob.user.id]),
      openDirect(server.url, bob.cookie, [carol.user.id, alice.user.id]),
      openDirect(server.url, carol.cookie, [alice.user.id, bob.user.id]),
    ]);
    expect(again.map((c) => c.id)).toEqual([group.id, group.id, group.id]);
    // A different set of people is a different group.
    const withDave = await openDirect(server.url, alice.cookie, [bob.user.id, carol.user.id, dave.user.id]);
    expect(withDave.id).not.toBe(group.id);
    expect(withDave.members).toEqual(byName([alice, bob, carol, dave]));
  });

  it("starts one conversation when both people start it at the same moment", async () => {
    for (let round = 0; round < 3; round += 1) {
      const [erin, frank] = await Promise.all([person(`Erin ${round}`), person(`Frank ${round}`)]);
      const [fromErin, fromFrank] = await Promise.all([
        openDirect(server.url, erin.cookie, [frank.user.id]),
        openDirect(server.url, frank.cookie, [erin.user.id]),
      ]);
      expect(fromFrank.id).toBe(fromErin.id);
      expect(fromErin.memberCount).toBe(2);
      expect(await members(server.url, erin.cookie, fromErin.id)).toEqual(byName([erin, frank]));
      for (const user of [erin, frank]) {
        const dms = (await sidebar(server.url, user.cookie)).conversations.filter((c) => c.kind === "dm");
        expect(dms.map((c) => c.id)).toEqual([fromErin.id]);
      }
    }
  });

  it("tells the other person's sockets, which join the conversation and hear its first message", async () => {
    const grace = await person("Grace");
    const [graceLaptop, gracePhone] = [await connect(grace), await connect(grace)];
    const joined = [captureChanges(graceLaptop, "membership"), captureChanges(gracePhone, "membership")];
    const heard = [captureMessages(graceLaptop), captureMessages(gracePhone)];

    const dm = await openDirect(server.url, alice.cookie, [grace.user.id]);
    const asGraceHasIt = (await sidebar(server.url, grace.cookie)).conversations.find((c) => c.id === dm.id);
    expect(asGraceHasIt).toMatchObject({ id: dm.id, members: byName([alice, grace]) });
    for (const capture of joined) expect(joinedOrLeft(await capture.waitFor(1))).toEqual([asGraceHasIt]);

    const hello = await sendMessage(await connect(alice), dm.id, "hello Grace");
    for (const capture of heard) expect(await capture.waitFor(1)).toEqual([hello]);
  });

  describe("refuses bad input with a clear 4xx and changes nothing", () => {
    let extra: SignedInUser[];
    beforeAll(async () => {
      extra = await Promise.all(Array.from({ length: 6 }, (_, i) => person(`Extra ${i}`)));
    });
    const known = () => [bob, carol, dave, ...extra].map((p) => p.user.id);

    const cases: [string, () => unknown, RegExp][] = [
      ["an unknown person", () => ({ userIds: [randomUUID()] }), /Unknown person/],
      ["an unknown person among known ones", () => ({ userIds: [bob.user.id, randomUUID()] }), /Unknown person/],
      ["more than nine people", () => ({ userIds: known() }), /at most 9/],
      ["the same person twice", () => ({ userIds: [bob.user.id, bob.user.id] }), /once/],
      ["yourself among others", () => ({ userIds: [alice.user.id, bob.user.id] }), /only the others/],
      ["an id that is not a UUID", () => ({ userIds: ["bob"] }), /Unknown person/],
      ["an empty list", () => ({ userIds: [] }), /at least one/],
      ["no list", () => ({}), /./],
      ["a list of numbers", () => ({ userIds: [1, 2] }), /./],
    ];
    it.each(cases)("refuses %s", async (_, body, message) => {
      const before = await Promise.all([sidebar(server.url, alice.cookie), sidebar(server.url, bob.cookie)]);
      const counts = sql && (await conversationCounts(sql));

      const res = await api(server.url, alice.cookie).post("/api/conversations/direct", body());
      expect(expectError(res, 400, "bad_request").message).toMatch(message);

      expect(await Promise.all([sidebar(server.url, alice.cookie), sidebar(server.url, bob.cookie)])).toEqual(before);
      if (sql) expect(await conversationCounts(sql)).toEqual(counts);
    });

    it("starts a group of nine, the most there may be", async () => {
      const eight = known().slice(0, 8);
      expect(known()).toHaveLength(9);
      const group = await openDirect(server.url, alice.cookie, eight);
      expect(group).toMatchObject({ kind: "group", memberCount: 9 });
      expect(group.members).toEqual(byName([alice, bob, carol, dave, ...extra.slice(0, 5)]));
    });

    it.skipIf(!process.env.TEST_DATABASE_URL)("refuses a deactivated person, alone or in a group", async () => {
      const gone = await person("Gone");
      await deactivate(sql!, gone.user.id);
      const before = await sidebar(server.url, alice.cookie);
      const counts = await conversationCounts(sql!);

      for (const userIds of [[gone.user.id], [bob.user.id, gone.user.id]]) {
        const res = await api(server.url, alice.cookie).post("/api/conversations/direct", { userIds });
        expect(expectError(res, 400, "bad_request").message).toMatch(/deactivated/);
      }
      expect(await sidebar(server.url, alice.cookie)).toEqual(before);
      expect(await conversationCounts(sql!)).toEqual(counts);
    });
  });

  describe("to someone outside it", () => {
    let dm: Conversation;
    let group: Conversation;
    let mallory: SignedInUser;

    beforeAll(async () => {
      mallory = await person("Mallory");
      dm = await openDirect(server.url, bob.cookie, [carol.user.id]);
      group = await openDirect(server.url, bob.cookie, [carol.user.id, dave.user.id]);
      const bobSocket = await connect(bob);
      await sendMessage(bobSocket, dm.id, "just between us");
      await sendMessage(bobSocket, group.id, "just between us three");
    });

    // Alice is the workspace's admin: that lets her see no one's private conversations either.
    it.each([
      ["a member", () => mallory],
      ["the admin", () => alice],
    ])("is not_found for %s, for everything", async (_, outsider) => {
      const socket = await connect(outsider());
      for (const id of [dm.id, group.id]) await expectHidden(server.url, outsider().cookie, socket, id);
    });

    it("never reaches an outsider's socket live", async () => {
      const outsiders = await Promise.all([connect(mallory), connect(alice)]);
      const overheard = outsiders.map((s) => [captureMessages(s), captureChanges(s)] as const);
      const carolSocket = await connect(carol);
      const carolHears = captureMessages(carolSocket);

      const bobSocket = await connect(bob);
      const sent = [
        await sendMessage(bobSocket, dm.id, "still private"),
        await sendMessage(bobSocket, group.id, "same"),
      ];
      // Direct and group messages have no topic; what else changes in them is someone's read position.
      const read = await emitWithAck(bobSocket, "conversation:read", { conversationId: group.id, seq: sent[1]!.seq });
      expect(read).toEqual({ ok: true, data: { lastReadSeq: sent[1]!.seq } });

      expect(await carolHears.waitFor(2)).toEqual(sent);
      for (const [messages, changes] of overheard) {
        expect(await messages.settle(SETTLE_MS)).toEqual([]);
        expect(await changes.settle()).toEqual([]);
      }
    });
  });
});

const missing = ["TEST_DATABASE_URL", "REDIS_URL"].filter((name) => !process.env[name]);

describe.skipIf(missing.length > 0)("direct messages across two processes", () => {
  let cluster: TestCluster;
  let one: TestServer;
  let two: TestServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    cluster = await startCluster(2);
    [one, two] = cluster.servers as [TestServer, TestServer];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.close();
  });

  /** Signed up on process one, with a session that works on both. */
  const person = async (name: string) => signUpAndSignIn(one.url, { name });

  it("starts one conversation when two people start it at the same moment on different processes", async () => {
    for (let round = 0; round < 4; round += 1) {
      const [erin, frank] = await Promise.all([person(`Erin ${round}`), person(`Frank ${round}`)]);
      const [fromErin, fromFrank] = await Promise.all([
        openDirect(one.url, erin.cookie, [frank.user.id]),
        openDirect(two.url, frank.cookie, [erin.user.id]),
      ]);
      expect(fromFrank.id).toBe(fromErin.id);
      expect(await members(two.url, erin.cookie, fromErin.id)).toEqual(byName([erin, frank]));
      for (const user of [erin, frank]) {
        const dms = (await sidebar(one.url, user.cookie)).conversations.filter((c) => c.kind === "dm");
        expect(dms.map((c) => c.id)).toEqual([fromErin.id]);
      }
    }
  });

  it("moves the other person's socket on the other process into the conversation", async () => {
    const [alice, grace] = await Promise.all([person("Alice"), person("Grace")]);
    const graceCookie = await signIn(two.url, grace.email, grace.password);
    const graceOnTwo = await connectSocket(two.url, graceCookie!);
    const aliceOnOne = await connectSocket(one.url, alice.cookie);
    sockets.push(graceOnTwo, aliceOnOne);
    const joined = captureChanges(graceOnTwo, "membership");
    const heard = captureMessages(graceOnTwo);

    const dm = await openDirect(one.url, alice.cookie, [grace.user.id]);
    const [change] = joinedOrLeft(await joined.waitFor(1));
    expect(change).toMatchObject({ id: dm.id, members: byName([alice, grace]) });
    const hello = await sendMessage(aliceOnOne, dm.id, "hello from process one");
    expect(await heard.waitFor(1)).toEqual([hello]);
  });
});
