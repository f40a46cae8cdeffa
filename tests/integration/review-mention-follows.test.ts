import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { createScratchDatabase, startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";
import { statementCounter } from "../helpers/statement-counter";
import { startTcpProxy, throughProxy, type TcpProxy } from "../helpers/tcp-proxy";

const PEOPLE = 300;

/**
 * The people a reply mentions follow its thread, each told through their own change stream. A reply
 * can name a few hundred people (16,000 characters of mentions), and it holds the root's lock and the
 * conversation's change stream until it commits: storing it must not cost a statement per person,
 * or one member posting such replies at the write rate keeps the conversation's changes waiting.
 * Counted on PostgreSQL, through a proxy that sees every statement the server sends.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("a reply that mentions hundreds of people", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: TcpProxy;
  const statements = statementCounter();
  let server: TestServer;
  let sql: postgres.Sql;
  let alice: SignedInUser;
  let aliceSocket: ClientSocket;

  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!);
    const target = new URL(scratch.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432), statements.tap);
    server = await startTestServer({
      databaseUrl: throughProxy(scratch.url, proxy),
      // No session checks while statements are counted.
      env: { SOCKET_WRITES_PER_SECOND: "1000", SESSION_CHECK_INTERVAL_MS: "600000" },
    });
    sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    aliceSocket = await connectSocket(server.url, alice.cookie);
  });
  afterAll(async () => {
    aliceSocket?.close();
    await sql?.end();
    await server?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  it("makes them all follow in a few statements, each told in their own stream", async () => {
    const channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("crowd"))).id;
    // Members written straight into the database: signing up hundreds of people is not what is tested.
    const people = Array.from({ length: PEOPLE }, () => randomUUID()).sort();
    await sql`insert into users (id, email, name, password_hash)
      select id, id::text || '@example.test', 'Person ' || id::text, 'not a hash' from unnest(${people}::uuid[]) id`;
    await sql`insert into conversation_members (conversation_id, user_id)
      select ${channel}, id from unnest(${people}::uuid[]) id`;
    const root = await sendMessage(aliceSocket, channel, "who is in?");
    const reply = (text: string) =>
      emitWithAck(aliceSocket, "thread:reply", {
        conversationId: channel,
        rootSeq: root.seq,
        clientMessageId: randomUUID(),
        text,
      });

    let before = statements.count;
    expect((await reply("nobody named")).ok).toBe(true);
    const plain = statements.count - before;
    before = statements.count;
    const named = await reply(people.map((id) => `<@${id}>`).join(" "));
    const mentioning = statements.count - before;

    expect(named.ok).toBe(true);
    expect(mentioning).toBeLessThan(plain + 20);
    const thread = named.ok ? named.data.conversationId : "";
    const followers = await sql<{ id: string }[]>`
      select user_id::text as id from conversation_members where conversation_id = ${thread} order by 1`;
    expect(followers.map((f) => f.id)).toEqual([...people, alice.user.id].sort());
    // Each person's stream holds the follow, numbered next in that stream.
    const told = await sql<{ id: string; seq: number; last: number; following: boolean }[]>`
      select c.stream_id::text as id, c.seq::int as seq, s.last_seq::int as last,
        (c.data->>'following')::boolean as following
      from changes c join change_streams s on s.id = c.stream_id
      where c.key = ${`following:${thread}`} and c.stream_id = any(${people}::uuid[]) order by 1`;
    expect(told).toEqual(people.map((id) => ({ id, seq: 1, last: 1, following: true })));
  });
});
