import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations } from "@/drizzle/schema";
import type { ChangeData } from "@/lib/protocol";
import { inChangeTransaction } from "@/server/changes/changing";
import { loadConfig } from "@/server/config";
import { openDatabase, type Db } from "@/server/db/client";
import { readConversationInfo } from "@/server/conversations/read-conversations";
import { createScratchDatabase } from "../helpers/server";

/**
 * A change is numbered and stored by statements sent with the commit (server/changes/record-change.ts):
 * these pin that they still belong to the transaction that makes the change, on PGlite or on the scratch
 * PostgreSQL database of TEST_DATABASE_URL.
 */
describe("the transaction of a change", () => {
  let close: () => Promise<void>;
  let db: Db;
  let query: <T>(text: string, params: unknown[]) => Promise<T[]>;
  let channel: string;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-changes-"));
    const scratch = process.env.TEST_DATABASE_URL
      ? await createScratchDatabase(process.env.TEST_DATABASE_URL)
      : undefined;
    const opened = await openDatabase(
      loadConfig({ DATA_DIR: dataDir, DATABASE_URL: scratch?.url, AUTH_SECRET: "x".repeat(32) }),
    );
    db = opened.db;
    query = opened.query;
    close = async () => {
      await opened.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    const [owner] = await query<{ id: string }>(
      "insert into users (email, name, password_hash) values ($1, 'Owner', 'x') returning id",
      [`${randomUUID()}@example.test`],
    );
    const [row] = await query<{ id: string }>(
      "insert into conversations (kind, name, created_by) values ('channel', $1, $2) returning id",
      [`c-${randomUUID()}`, owner!.id],
    );
    channel = row!.id;
  });
  afterAll(async () => close?.());

  /** Sets the channel's topic and records it; `fail` throws after recording, before the commit. */
  const setTopic = (topic: string, fail = false) =>
    inChangeTransaction(db, async (tx, record) => {
      await tx.update(conversations).set({ topic }).where(eq(conversations.id, channel));
      const data: ChangeData = { kind: "conversation", conversation: await readConversationInfo(tx, channel) };
      await record.conversation(channel, data);
      if (fail) throw new Error("after recording");
      return topic;
    });
  const stored = async () =>
    (
      await query<{ seq: string; xmin: string; topic: string; last_seq: string; conversation_xmin: string }>(
        `select ch.seq, ch.xmin::text, ch.data->'conversation'->>'topic' as topic, cs.last_seq,
                c.xmin::text as conversation_xmin
         from changes ch join change_streams cs on cs.id = ch.stream_id join conversations c on c.id = ch.stream_id
         where ch.stream_id = $1 and ch.key = 'conversation'`,
        [channel],
      )
    )[0];

  it("stores the change in the transaction that makes it, numbered next in its stream", async () => {
    const { result, recorded } = await setTopic("first");
    expect(result).toBe("first");
    expect(recorded).toHaveLength(1);
    const row = await stored();
    expect(row).toMatchObject({ topic: "first" });
    expect(Number(row!.seq)).toBe(recorded[0]!.seq);
    expect(Number(row!.last_seq)).toBe(recorded[0]!.seq);
    // Written by the same transaction as the topic: not after its commit, on its own.
    expect(row!.xmin).toBe(row!.conversation_xmin);
  });

  it("stores nothing, and uses no number, when the work fails after recording", async () => {
    const before = await stored();
    await expect(setTopic("never", true)).rejects.toThrow("after recording");
    expect(await stored()).toEqual(before);
    const [conversation] = await query<{ topic: string }>("select topic from conversations where id = $1", [channel]);
    expect(conversation!.topic).toBe("first");
  });

  it("numbers changes made at once one after another, each stored with its own state", async () => {
    const before = Number((await stored())!.seq);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => setTopic(`at once ${i}`)));
    const seqs = results.map((r) => r.recorded[0]!.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
    const row = await stored();
    expect(Number(row!.seq)).toBe(before + 8);
    // The newest number holds the state of the transaction that committed last.
    const last = results.find((r) => r.recorded[0]!.seq === before + 8)!;
    expect(row!.topic).toBe(last.result);
    expect(row!.xmin).toBe(row!.conversation_xmin);
  });

  it("stores several changes of one transaction, in two streams and twice of one thing, each numbered", async () => {
    const before = Number((await stored())!.seq);
    const [owner] = await query<{ id: string }>("select created_by as id from conversations where id = $1", [channel]);
    const { recorded } = await inChangeTransaction(db, async (tx, record) => {
      for (const topic of ["twice, first", "twice, second"]) {
        await tx.update(conversations).set({ topic }).where(eq(conversations.id, channel));
        await record.conversation(channel, {
          kind: "conversation",
          conversation: await readConversationInfo(tx, channel),
        });
      }
      await record.user(owner!.id, { kind: "read", conversationId: channel, lastReadSeq: 0 });
    });
    expect(recorded.map((c) => [c.streamId, c.seq])).toEqual([
      [channel, before + 1],
      [channel, before + 2],
      [owner!.id, 1],
    ]);
    const row = await stored();
    expect([Number(row!.seq), row!.topic]).toEqual([before + 2, "twice, second"]);
    const [read] = await query<{ seq: string }>("select seq from changes where stream_id = $1 and key = $2", [
      owner!.id,
      `read:${channel}`,
    ]);
    expect(Number(read!.seq)).toBe(1);
  });

  it("fails whole when the store statement fails, leaving what was before", async () => {
    const before = await stored();
    // A stream the change cannot be stored in: its counter row is locked against updates by a trigger.
    await query(
      `create or replace function refuse_stream() returns trigger language plpgsql as $$
       begin raise exception 'stream refused'; end $$`,
      [],
    );
    await query(
      "create trigger refuse_stream before insert or update on change_streams for each row execute function refuse_stream()",
      [],
    );
    try {
      const error: unknown = await setTopic("refused").then(
        () => null,
        (e: unknown) => e,
      );
      // The driver's error, or the query error that wraps it.
      expect(String((error as Error).cause ?? error)).toContain("stream refused");
    } finally {
      await query("drop trigger refuse_stream on change_streams", []);
    }
    expect(await stored()).toEqual(before);
    const [conversation] = await query<{ topic: string }>("select topic from conversations where id = $1", [channel]);
    expect(conversation!.topic).not.toBe("refused");
    // The connection is usable again afterwards.
    expect((await setTopic("after")).result).toBe("after");
  });
});
