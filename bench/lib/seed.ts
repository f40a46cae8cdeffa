import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { conversationMembers, conversations, sessions, users } from "@/drizzle/schema";
import { hashPassword } from "@/server/auth/passwords";
import { loadConfig } from "@/server/config";
import { openDatabase, type Db } from "@/server/db/client";
import { createScratchDatabase } from "@/tests/helpers/server";

export type BenchDatabase = {
  kind: "postgres" | "pglite";
  /** What the Parley server process needs to find it. */
  env: Record<string, string>;
  /** Runs work against it from the benchmark process; on PGlite only while no server holds it. */
  use: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
  drop: () => Promise<void>;
};

export const AUTH_SECRET = "bench-secret-bench-secret-bench-secret-0123";

/** A fresh, migrated database: a scratch PostgreSQL database, or a PGlite directory. */
export async function createBenchDatabase(kind: "postgres" | "pglite"): Promise<BenchDatabase> {
  if (kind === "postgres") {
    const scratch = await createScratchDatabase(
      process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    );
    const env = { DATABASE_URL: scratch.url };
    const opened = await openDatabase(loadConfig({ ...env, AUTH_SECRET }));
    return {
      kind,
      env,
      use: (work) => work(opened.db),
      drop: async () => {
        await opened.close();
        await scratch.drop();
      },
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-bench-"));
  const env = { DATA_DIR: dataDir };
  return {
    kind,
    env,
    // PGlite admits one process: open, work, close, before the server starts.
    use: async (work) => {
      const opened = await openDatabase(loadConfig({ ...env, AUTH_SECRET }));
      try {
        return await work(opened.db);
      } finally {
        await opened.close();
      }
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export type SeededUser = { id: string; cookie: string };

/**
 * Real accounts with real sessions, written in bulk: each user has a session
 * row and a next-auth JWT naming it, exactly what sign-in would create, without
 * thousands of argon2 hashes and HTTP round trips.
 */
export async function seedUsers(db: Db, count: number): Promise<SeededUser[]> {
  const passwordHash = await hashPassword("bench-password");
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    sessionId: randomUUID(),
    email: `bench-${i}-${randomUUID().slice(0, 8)}@bench.test`,
    name: `Bench User ${i}`,
  }));
  const expiresAt = new Date(Date.now() + 24 * 3600 * 1000);
  for (const chunk of chunks(rows, 1000)) {
    await db.insert(users).values(chunk.map((r) => ({ id: r.id, email: r.email, name: r.name, passwordHash })));
    await db.insert(sessions).values(chunk.map((r) => ({ id: r.sessionId, userId: r.id, expiresAt })));
  }
  return Promise.all(
    rows.map(async (r) => {
      const token = await encode({
        token: { sub: r.id, sid: r.sessionId, name: r.name, email: r.email },
        secret: AUTH_SECRET,
      });
      return { id: r.id, cookie: `next-auth.session-token=${token}` };
    }),
  );
}

/** Creates channels with the given members (indexes into users) and returns their ids. */
export async function seedChannels(db: Db, users: SeededUser[], memberLists: number[][]): Promise<string[]> {
  const ids = memberLists.map(() => randomUUID());
  for (const chunk of chunks(
    ids.map((id, i) => ({ id, i })),
    1000,
  )) {
    await db
      .insert(conversations)
      .values(chunk.map(({ id, i }) => ({ id, kind: "channel" as const, name: `bench-${i}-${id.slice(0, 8)}` })));
  }
  const members = memberLists.flatMap((list, c) =>
    list.map((u) => ({ conversationId: ids[c]!, userId: users[u]!.id })),
  );
  for (const chunk of chunks(members, 2000)) await db.insert(conversationMembers).values(chunk);
  return ids;
}

/** Fills a conversation with `count` messages, numbered 1..count, in one statement. */
export async function seedMessages(db: Db, conversationId: string, senderId: string, count: number): Promise<void> {
  await db.execute(sql`
    insert into messages (conversation_id, seq, sender_id, client_message_id, text, created_at)
    select ${conversationId}::uuid, g, ${senderId}::uuid, gen_random_uuid(),
           'history message number ' || g, now() - make_interval(secs => ${count} - g)
    from generate_series(1, ${count}::int) g`);
  await db
    .update(conversations)
    .set({ lastSeq: count })
    .where(sql`${conversations.id} = ${conversationId}`);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
