import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config";
import { openDatabase } from "@/server/db/client";
import { INSERT_MANY, INSERT_ONE } from "@/server/messages/insert-statements";
import { createScratchDatabase } from "../helpers/server";

const base = process.env.TEST_DATABASE_URL;
if (!base && process.env.CI) {
  throw new Error("The send-plan tests need PostgreSQL, but TEST_DATABASE_URL is not set. Never skipped in CI.");
}

/**
 * The server's connections plan each prepared statement once, generically,
 * and keep the plan. These check the plans the send statements get from a
 * young database whose `messages` was never analyzed: no plan may read a
 * whole table.
 */
describe.skipIf(!base)("the send statements' plans", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let sql: postgres.Sql;
  let ids: { user: string; conversation: string };

  beforeAll(async () => {
    scratch = await createScratchDatabase(base!);
    const migrated = await openDatabase(loadConfig({ DATABASE_URL: scratch.url, AUTH_SECRET: "x".repeat(32) }));
    await migrated.close();
    sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    const [user] =
      await sql`insert into users (email, name, password_hash) values ('a@example.com', 'A', 'x') returning id`;
    const [conversation] = await sql`insert into conversations (kind, name) values ('channel', 'plans') returning id`;
    await sql`insert into conversation_members (conversation_id, user_id) values (${conversation!.id}, ${user!.id})`;
    // A few pages of history and no statistics: the state in which the joins' plan hashed the table.
    await sql`insert into messages (conversation_id, seq, sender_id, client_message_id, text)
      select ${conversation!.id}, s, ${user!.id}, gen_random_uuid(), 'm' from generate_series(1, 300) s`;
    await sql`update conversations set last_seq = 300 where id = ${conversation!.id}`;
    ids = { user: user!.id as string, conversation: conversation!.id as string };
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await scratch?.drop();
  });

  it("is what the server's connections run: one generic plan per statement, never re-planned", async () => {
    const opened = await openDatabase(loadConfig({ DATABASE_URL: scratch.url, AUTH_SECRET: "x".repeat(32) }));
    try {
      const [setting] = await opened.query<{ mode: string }>("select current_setting('plan_cache_mode') as mode", []);
      expect(setting?.mode).toBe("force_generic_plan");
    } finally {
      await opened.close();
    }
  });

  /** The generic plan, the one the server's connections use (see server/db/client.ts). */
  async function genericPlan(name: string, types: string, text: string, args: string): Promise<string> {
    await sql.unsafe("set plan_cache_mode = force_generic_plan");
    await sql.unsafe(`prepare ${name}(${types}) as ${text}`);
    const rows = await sql.unsafe(`explain (costs off) execute ${name}(${args})`);
    return rows.map((r) => r["QUERY PLAN"] as string).join("\n");
  }

  it("finds the sender's membership and earlier copies of a message by index, for one message", async () => {
    const plan = await genericPlan(
      "one",
      "uuid, uuid, uuid, text, text",
      INSERT_ONE,
      `'${ids.conversation}', '${ids.user}', gen_random_uuid(), 'hi', 'A'`,
    );
    expect(plan).toContain("using messages_sender_client_id_key on messages");
    expect(plan).not.toMatch(/Seq Scan on (messages|conversation_members|conversations)/);
  });

  it("finds them by index for every message of a batch", async () => {
    const plan = await genericPlan(
      "many",
      "uuid[], uuid[], uuid[], text[], text[]",
      INSERT_MANY,
      `array['${ids.conversation}', '${ids.conversation}']::uuid[], array['${ids.user}', '${ids.user}']::uuid[],
       array[gen_random_uuid(), gen_random_uuid()], array['a', 'b'], array['A', 'A']`,
    );
    expect(plan).toContain("using messages_sender_client_id_key on messages");
    expect(plan).not.toMatch(/Seq Scan on (messages|conversation_members|conversations)/);
  });
});
