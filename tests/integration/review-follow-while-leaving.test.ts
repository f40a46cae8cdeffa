import postgres from "postgres";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadListSchema } from "@/lib/protocol";
import { createChannel, joinChannel, sendMessage, uniqueChannelName } from "../helpers/chat";
import { api, signUpAndSignIn, type SignedInUser } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectSocket, emitWithAck, type ClientSocket } from "../helpers/socket";

/**
 * Following a thread and leaving its conversation at the same moment must not leave a follow behind:
 * a follow outliving its follower's membership would list the thread, with its root message, in the
 * Threads view of someone who can no longer read the conversation. The test holds the leaving person's
 * change stream so that both transactions are inside at once, in the order that loses the follow.
 * PGlite runs one transaction at a time: the race needs PostgreSQL.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("following a thread while leaving its conversation", () => {
  let server: TestServer;
  let sql: postgres.Sql;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;

  beforeAll(async () => {
    server = await startTestServer({ env: { SOCKET_WRITES_PER_SECOND: "1000" } });
    sql = postgres(server.databaseUrl!, { max: 2, onnotice: () => {} });
    alice = await signUpAndSignIn(server.url, { name: "Alice" });
    bob = await signUpAndSignIn(server.url, { name: "Bob" });
    aliceSocket = await connectSocket(server.url, alice.cookie);
    bobSocket = await connectSocket(server.url, bob.cookie);
  });
  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await sql?.end();
    await server?.close();
  });

  /** Resolves once `count` of the server's statements wait for a lock. */
  const waitingForLocks = async (count: number) => {
    await expect
      .poll(
        async () => {
          const [row] = await sql<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`;
          return row!.n;
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(count);
  };

  it.each(["leave", "follow"] as const)(
    "ends the follow with the membership when the %s comes first",
    async (first) => {
      const channel = (await createChannel(server.url, alice.cookie, uniqueChannelName("follow-leave"))).id;
      await joinChannel(server.url, bob.cookie, channel);
      const root = await sendMessage(aliceSocket, channel, "the plan");
      // The thread exists already: someone replied.
      const replied = await emitWithAck(aliceSocket, "thread:reply", {
        conversationId: channel,
        rootSeq: root.seq,
        clientMessageId: randomUUID(),
        text: "first reply",
      });
      expect(replied.ok).toBe(true);

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const hold = sql.begin(async (tx) => {
        await tx`select 1 from change_streams where id = ${bob.user.id} for update`;
        holding();
        await released;
      });
      await held;

      const leave = () => api(server.url, bob.cookie).post(`/api/conversations/${channel}/leave`);
      const follow = () =>
        emitWithAck(bobSocket, "thread:follow", { conversationId: channel, rootSeq: root.seq, following: true });
      // The first waits for the test's hold on Bob's change stream, the second for the first.
      let leaving: ReturnType<typeof leave> | undefined;
      let following: ReturnType<typeof follow> | undefined;
      if (first === "leave") leaving = leave();
      else following = follow();
      await waitingForLocks(1);
      if (first === "leave") following = follow();
      else leaving = leave();
      await waitingForLocks(2);
      release();
      await hold;
      expect((await leaving!).status).toBe(204);
      const followed = await following!;

      const listed = await emitWithAck(bobSocket, "threads:list", {});
      expect(listed.ok && threadListSchema.parse(listed.data).threads).toEqual([]);
      const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from conversation_members cm join conversations t on t.id = cm.conversation_id
      where t.parent_id = ${channel} and cm.user_id = ${bob.user.id}`;
      expect(row!.n).toBe(0);
      // Followed while still in the channel, or refused as for anyone outside it.
      expect(followed).toMatchObject(
        first === "leave" ? { ok: false, error: { code: "forbidden" } } : { ok: true, data: { following: true } },
      );
    },
  );
});
