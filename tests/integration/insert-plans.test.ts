import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  INSERT_MANY,
  INSERT_MANY_MENTIONING,
  INSERT_ONE,
  INSERT_ONE_MENTIONING,
} from "@/server/messages/insert-statements";
import { createPlanDatabase, postgresForPlanTests, type PlanDatabase } from "../helpers/plan-database";

const base = postgresForPlanTests("send-plan");

/**
 * The server's connections plan each prepared statement once, generically,
 * and keep the plan. These check the plans the send statements get from a
 * young database whose `messages` was never analyzed: no plan may read a
 * whole table.
 */
describe.skipIf(!base)("the send statements' plans", () => {
  let db: PlanDatabase;

  beforeAll(async () => {
    db = await createPlanDatabase(base!);
  });

  afterAll(async () => {
    await db?.close();
  });

  it("is what the server's connections run: one generic plan per statement, never re-planned", async () => {
    const opened = await db.openServerDatabase();
    try {
      const [setting] = await opened.query<{ mode: string }>("select current_setting('plan_cache_mode') as mode", []);
      expect(setting?.mode).toBe("force_generic_plan");
    } finally {
      await opened.close();
    }
  });

  /** The generic plan, the one the server's connections use (see server/db/client.ts). */
  async function genericPlan(name: string, types: string, text: string, args: string): Promise<string> {
    await db.sql.unsafe("set plan_cache_mode = force_generic_plan");
    await db.sql.unsafe(`prepare ${name}(${types}) as ${text}`);
    const rows = await db.sql.unsafe(`explain (costs off) execute ${name}(${args})`);
    return rows.map((r) => r["QUERY PLAN"] as string).join("\n");
  }

  it("finds the sender's membership and earlier copies of a message by index, for one message", async () => {
    const plan = await genericPlan(
      "one",
      "uuid, uuid, uuid, text, text",
      INSERT_ONE,
      `'${db.ids.conversation}', '${db.ids.user}', gen_random_uuid(), 'hi', 'A'`,
    );
    expect(plan).toContain("using messages_sender_client_id_key on messages");
    expect(plan).not.toMatch(/Seq Scan on (messages|conversation_members|conversations)/);
  });

  it("finds them by index for every message of a batch", async () => {
    const plan = await genericPlan(
      "many",
      "uuid[], uuid[], uuid[], text[], text[]",
      INSERT_MANY,
      `array['${db.ids.conversation}', '${db.ids.conversation}']::uuid[], array['${db.ids.user}', '${db.ids.user}']::uuid[],
       array[gen_random_uuid(), gen_random_uuid()], array['a', 'b'], array['A', 'A']`,
    );
    expect(plan).toContain("using messages_sender_client_id_key on messages");
    expect(plan).not.toMatch(/Seq Scan on (messages|conversation_members|conversations)/);
  });

  it("checks a mentioned person's membership by index, for one message and a batch", async () => {
    const one = await genericPlan(
      "one_mentioning",
      "uuid, uuid, uuid, text, text, uuid[], text[], boolean",
      INSERT_ONE_MENTIONING,
      `'${db.ids.conversation}', '${db.ids.user}', gen_random_uuid(), 'hi', 'A',
       array['${db.ids.user}']::uuid[], array['user'], false`,
    );
    const many = await genericPlan(
      "many_mentioning",
      "uuid[], uuid[], uuid[], text[], text[], text[], int[], uuid[], text[]",
      INSERT_MANY_MENTIONING,
      `array['${db.ids.conversation}', '${db.ids.conversation}']::uuid[], array['${db.ids.user}', '${db.ids.user}']::uuid[],
       array[gen_random_uuid(), gen_random_uuid()], array['a', 'b'], array['A', 'A'], array['false', 'true'],
       array[1, 2], array['${db.ids.user}', '${db.ids.conversation}']::uuid[], array['user', 'here']`,
    );
    for (const plan of [one, many]) {
      expect(plan).toContain("using messages_sender_client_id_key on messages");
      expect(plan).toContain("Insert on mentions");
      expect(plan, plan).not.toMatch(/Seq Scan on (messages|conversation_members|conversations)/);
    }
  });

  it("stores a batch while a reply or a follow holds its share of the conversation's row", async () => {
    const reply = postgres(db.url, { max: 1, onnotice: () => {} });
    const sends = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const replying = await reply.reserve();
      await replying`begin`;
      // What a reply or a follow holds until it commits (server/threads/open-thread.ts).
      await replying`select 1 from conversations where id = ${db.ids.conversation} for key share`;
      await sends`set statement_timeout = '2s'`;
      const { conversation, user } = db.ids;
      const stored = await sends.unsafe(INSERT_MANY, [
        [conversation, conversation],
        [user, user],
        [randomUUID(), randomUUID()],
        ["while", "replying"],
        ["A", "A"],
      ]);
      expect(stored.map((row) => row.text)).toEqual(["while", "replying"]);
      await replying`rollback`;
      replying.release();
    } finally {
      await Promise.all([reply.end({ timeout: 1 }), sends.end({ timeout: 1 })]);
    }
  });
});
