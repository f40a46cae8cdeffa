import { randomInt, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { z } from "zod";
import { conversationInfoSchema, messagePageSchema, personSchema } from "@/lib/protocol";
import { addMembers, createChannel, generalId, joinChannel, openDirect, uniqueChannelName } from "../helpers/chat";
import { api, expectBody, signOut, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { createDataDir, startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, type ClientSocket } from "../helpers/socket";
import { isLocked, type ActorKind, type TargetKind } from "./expected";

/** A conversation of one target kind, with the people who play each part in it. */
export type Fixture = {
  target: TargetKind;
  id: string;
  creator: SignedInUser;
  member: SignedInUser;
  /** A member who never acts, so that someone can still read the conversation after any change; none in a DM. */
  witness: SignedInUser | null;
  /** Someone in none of it (none for #general, where everyone is). */
  outsider: SignedInUser | null;
  /** Someone else in none of it, to add (for #general, a member already). */
  newcomer: SignedInUser;
};

/** What a conversation looks like to one of its members: what a refused change must leave as it was. */
export type Snapshot = {
  name: string | null;
  topic: string;
  description: string;
  isPrivate: boolean;
  archived: boolean;
  memberCount: number;
  memberIds: string[];
  texts: string[];
  /** Each reaction as "<message text> <emoji> <count>". */
  reactions: string[];
};

/** Enough pool users that every direct message of the run can be between two people who never had one. */
const POOL_SIZE = 12;

/**
 * One server and its people: the admin (the first to sign up), a pool that
 * plays creators, members and outsiders, and one person each whose session was
 * ended or who was deactivated.
 */
export type World = {
  server: TestServer;
  admin: SignedInUser;
  pool: SignedInUser[];
  revoked: SignedInUser;
  deactivated: SignedInUser;
  generalId: string;
  /** The person an actor kind is in a fixture, or null for signed out; without a fixture, anyone fitting. */
  callerFor: (actor: ActorKind, fixture: Fixture | null) => SignedInUser | null;
  /** A conversation of this kind that no one changed before. */
  fresh: (target: TargetKind) => Promise<Fixture>;
  /** One conversation of this kind, made once, for calls that change nothing. */
  shared: (target: TargetKind) => Promise<Fixture>;
  snapshot: (fixture: Fixture) => Promise<Snapshot>;
  /** This person's socket, connected once. */
  socketOf: (person: SignedInUser) => Promise<ClientSocket>;
  close: () => Promise<void>;
};

/** Sign-ups are limited per address; each comes from an address of its own through a proxy the server trusts. */
const fromRandomAddress = () => ({
  "x-forwarded-for": `198.51.100.${randomInt(1, 255)}, 203.0.113.${randomInt(1, 255)}`,
});

export async function createWorld(): Promise<World> {
  const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
  const dataDir = onPostgres ? undefined : createDataDir();
  const options = {
    dataDir,
    redis: onPostgres && Boolean(process.env.REDIS_URL),
    // The matrix writes far faster than a person; the limits are tested elsewhere.
    env: { SOCKET_WRITES_PER_SECOND: "1000", TRUSTED_PROXIES: "127.0.0.1,::1" },
  };
  let server = await startTestServer(options);
  const signUp = (name: string) =>
    signUpAndSignIn(server.url, { name, workspaceName: "Matrix", headers: fromRandomAddress() });
  const admin = await signUp("Admin");
  const pool: SignedInUser[] = [];
  for (let i = 0; i < POOL_SIZE; i++) pool.push(await signUp(`Pool ${String(i).padStart(2, "0")}`));
  const revoked = await signUp("Revoked");
  const deactivated = await signUp("Deactivated");
  server = await deactivate(server, deactivated.user.id, options);
  await signOut(server.url, revoked.cookie);
  const url = server.url;
  const general = await generalId(url, admin.cookie);
  let generalHello: Promise<unknown> | undefined;

  const pairs = pool.flatMap((a, i) => pool.slice(i + 1).map((b) => [a, b]));
  const triples = pairs.flatMap(([a, b]) => pool.slice(pool.indexOf(b!) + 1).map((c) => [a!, b!, c]));
  const made = new Map<TargetKind, number>();
  /**
   * The people of the next fixture of a kind. A fresh direct or group message
   * needs people who never had one together, so DMs walk the pairs of the pool
   * and groups its triples, each kind on its own.
   */
  const nextCast = (target: TargetKind) => {
    const n = made.get(target) ?? 0;
    made.set(target, n + 1);
    const sets = target === "othersGroup" ? triples : pairs;
    const chosen = sets[n % sets.length]!;
    const others = pool.filter((p) => !chosen.includes(p));
    const pick = (k: number) => others[(n + k) % others.length]!;
    const [creator, member] = chosen as [SignedInUser, SignedInUser];
    return { creator, member, witness: chosen[2] ?? pick(2), outsider: pick(0), newcomer: pick(1) };
  };

  const make = async (target: TargetKind): Promise<Fixture> => {
    if (target === "general") {
      const fixture = {
        target,
        id: general,
        creator: admin,
        member: pool[0]!,
        witness: pool[1]!,
        outsider: null,
        newcomer: pool[2]!,
      };
      await (generalHello ??= withHello(fixture));
      return fixture;
    }
    const cast = nextCast(target);
    const { creator, member, witness } = cast;
    let id: string;
    switch (target) {
      case "othersDm":
        id = (await openDirect(url, creator.cookie, [member.user.id])).id;
        return withHello({ target, id, ...cast, witness: null });
      case "othersGroup":
        id = (await openDirect(url, creator.cookie, [member.user.id, witness.user.id])).id;
        return withHello({ target, id, ...cast });
      case "privateChannel":
        id = (await createChannel(url, creator.cookie, uniqueChannelName("private"), { isPrivate: true })).id;
        await addMembers(url, creator.cookie, id, [member.user.id, witness.user.id]);
        return withHello({ target, id, ...cast });
      case "publicChannel":
      case "archivedChannel": {
        id = (await createChannel(url, creator.cookie, uniqueChannelName("public"))).id;
        await joinChannel(url, member.cookie, id);
        await joinChannel(url, witness.cookie, id);
        const fixture = await withHello({ target, id, ...cast });
        if (target === "archivedChannel") {
          expectBody(await api(url, creator.cookie).post(`/api/conversations/${id}/archive`), 200, z.unknown());
        }
        return fixture;
      }
    }
  };
  /** Every conversation starts with a message, so that a read that is let through has something to show. */
  const withHello = async (fixture: Fixture): Promise<Fixture> => {
    const res = await api(url, fixture.creator.cookie).post(`/api/conversations/${fixture.id}/messages`, {
      clientMessageId: randomUUID(),
      text: "hello",
    });
    expectBody(res, 201, z.unknown());
    return fixture;
  };

  const shared = new Map<TargetKind, Promise<Fixture>>();
  const sockets = new Map<string, Promise<ClientSocket>>();

  const snapshot = async (fixture: Fixture): Promise<Snapshot> => {
    const reader = api(url, (fixture.witness ?? fixture.creator).cookie);
    const base = `/api/conversations/${fixture.id}`;
    const [info, members, page] = await Promise.all([
      reader.get(base).then((r) => expectBody(r, 200, z.object({ conversation: conversationInfoSchema }))),
      reader.get(`${base}/members`).then((r) => expectBody(r, 200, z.object({ members: z.array(personSchema) }))),
      reader.get(`${base}/messages`).then((r) => expectBody(r, 200, messagePageSchema)),
    ]);
    const { name, topic, description, isPrivate, archived, memberCount } = info.conversation;
    return {
      name,
      topic,
      description,
      isPrivate,
      archived,
      memberCount,
      memberIds: members.members.map((m) => m.id).sort(),
      texts: page.messages.map((m) => m.text),
      reactions: page.messages.flatMap((m) => m.reactions.map((r) => `${m.text} ${r.emoji} ${r.userIds.length}`)),
    };
  };

  const callerFor = (actor: ActorKind, fixture: Fixture | null): SignedInUser | null => {
    switch (actor) {
      case "signedOut":
        return null;
      case "revoked":
        return revoked;
      case "deactivated":
        return deactivated;
      case "admin":
        return admin;
      case "nonMember":
        return fixture ? fixture.outsider : pool[2]!;
      case "member":
        return fixture ? fixture.member : pool[0]!;
      case "creator":
        return fixture ? fixture.creator : pool[1]!;
    }
  };

  return {
    server,
    admin,
    pool,
    revoked,
    deactivated,
    generalId: general,
    callerFor,
    fresh: make,
    shared: (target) => {
      let fixture = shared.get(target);
      if (!fixture) shared.set(target, (fixture = make(target)));
      return fixture;
    },
    snapshot,
    socketOf: (person) => {
      let socket = sockets.get(person.user.id);
      if (!socket) sockets.set(person.user.id, (socket = connectSocket(url, person.cookie)));
      return socket;
    },
    close: async () => {
      for (const socket of sockets.values()) (await socket.catch(() => null))?.close();
      await server.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether an actor kind gets a fixture of its own for a change: a locked one is refused before anything is read. */
export const needsFreshFixture = (actor: ActorKind, mutates: boolean) => mutates && !isLocked(actor);

/**
 * Sets users.deactivated_at as an admin's action would. On PGlite the server
 * holds the only connection to its data directory, so it is stopped for the
 * change and started again on the same directory and secret: the cookies stay valid.
 */
async function deactivate(
  server: TestServer,
  userId: string,
  options: Parameters<typeof startTestServer>[0] & { dataDir?: string },
): Promise<TestServer> {
  if (server.databaseUrl) {
    const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
    await sql`update users set deactivated_at = now() where id = ${userId}`;
    await sql.end({ timeout: 5 });
    return server;
  }
  await server.close();
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = await PGlite.create(path.join(options.dataDir!, "pglite"));
  await pglite.query("update users set deactivated_at = now() where id = $1", [userId]);
  await pglite.close();
  return startTestServer({ ...options, authSecret: server.authSecret });
}
