import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/sessions";
import { loadConfig } from "@/server/config";
import { openDatabase } from "@/server/db/client";
import { AppError } from "@/server/errors";
import {
  INSERT_MANY,
  INSERT_MANY_MENTIONING,
  INSERT_ONE,
  INSERT_ONE_MENTIONING,
} from "@/server/messages/insert-statements";
import { listMessages, NEWEST_PAGES } from "@/server/messages/list-messages";
import { sendMessage } from "@/server/messages/send-message";
import { decide, decideEveryoneMention, type Action, type Target } from "@/lib/policy/rules";
import { createDataDir, createScratchDatabase } from "../helpers/server";

/**
 * The send and history statements check membership (and, for sends, that the
 * conversation is not archived) inside the SQL instead of asking
 * accessConversation, to save a round trip on the hottest paths. These pin them
 * to lib/policy/rules.ts: for every kind of conversation and place of the
 * caller in it, a statement stores or returns messages exactly when `decide`
 * allows `post` or `read`. They run in this process, on PGlite or on the
 * scratch PostgreSQL database of TEST_DATABASE_URL.
 */

type Kind = Target["kind"];
type Combination = { kind: Kind; isPrivate: boolean; archived: boolean; isMember: boolean; role: SessionUser["role"] };

const combinations: Combination[] = (["channel", "dm", "group"] as const).flatMap((kind) =>
  [false, true].flatMap((isPrivate) =>
    [false, true].flatMap((archived) =>
      [false, true].flatMap((isMember) =>
        (["member", "admin"] as const).map((role) => ({ kind, isPrivate, archived, isMember, role })),
      ),
    ),
  ),
);

type Case = Combination & { conversationId: string; threadId: string; actor: SessionUser; target: Target };
const label = (c: Combination) =>
  `${c.role} ${c.isMember ? "in" : "not in"} a${c.isPrivate ? " private" : ""}${c.archived ? " archived" : ""} ${c.kind}`;
const allowed = (c: Case, action: Action) => decide(c.actor, action, c.target).allowed;

describe("the hot statements follow the rules", () => {
  let close: () => Promise<void>;
  let query: <T>(text: string, params: unknown[]) => Promise<T[]>;
  let cases: Case[];
  let owner: string;

  beforeAll(async () => {
    const dataDir = createDataDir();
    const scratch = process.env.TEST_DATABASE_URL
      ? await createScratchDatabase(process.env.TEST_DATABASE_URL)
      : undefined;
    const opened = await openDatabase(
      loadConfig({ DATA_DIR: dataDir, DATABASE_URL: scratch?.url, AUTH_SECRET: "x".repeat(32) }),
    );
    query = opened.query;
    close = async () => {
      await opened.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    };

    const person = async (role: SessionUser["role"]): Promise<SessionUser> => {
      const email = `${randomUUID()}@example.test`;
      const [row] = await query<{ id: string }>(
        "insert into users (email, name, password_hash, role) values ($1, $2, 'x', $3) returning id",
        [email, role, role],
      );
      return { id: row!.id, name: role, email, role, sessionId: randomUUID() };
    };
    owner = (await person("member")).id;
    cases = [];
    for (const combination of combinations) {
      const actor = await person(combination.role);
      const { kind, isPrivate, archived, isMember } = combination;
      const name = kind === "channel" ? `c-${randomUUID()}` : null;
      const [conversation] = await query<{ id: string }>(
        `insert into conversations (kind, name, member_key, is_private, archived_at, created_by, last_seq)
         values ($1, $2, $3, $4, case when $5::boolean then now() end, $6, 1) returning id`,
        [kind, name, kind === "channel" ? null : randomUUID(), isPrivate, archived, owner],
      );
      const conversationId = conversation!.id;
      const members = isMember ? [owner, actor.id] : [owner];
      for (const userId of members) {
        await query("insert into conversation_members (conversation_id, user_id) values ($1, $2)", [
          conversationId,
          userId,
        ]);
      }
      // Something to read: the owner's first message.
      await query(
        "insert into messages (conversation_id, seq, sender_id, client_message_id, text) values ($1, 1, $2, $3, 'first')",
        [conversationId, owner, randomUUID()],
      );
      // A thread of that message, with one reply: it has the conversation's readers, and no members of its own.
      const [thread] = await query<{ id: string }>(
        "insert into conversations (kind, parent_id, root_seq, last_seq) values ('thread', $1, 1, 1) returning id",
        [conversationId],
      );
      await query(
        "insert into messages (conversation_id, seq, sender_id, client_message_id, text) values ($1, 1, $2, $3, 'reply')",
        [thread!.id, owner, randomUUID()],
      );
      // The owner follows it: only that it is a thread keeps the send statements out.
      await query("insert into conversation_members (conversation_id, user_id) values ($1, $2)", [thread!.id, owner]);
      const target: Target = {
        kind,
        name,
        isPrivate,
        archived,
        isDefault: false,
        createdBy: owner,
        isMember,
        thread: false,
      };
      cases.push({ ...combination, conversationId, threadId: thread!.id, actor, target });
    }
  }, 120_000);

  afterAll(async () => {
    await close?.();
  });

  const storedCount = async (c: Case) =>
    Number(
      (
        await query<{ n: string }>("select count(*)::text as n from messages where conversation_id = $1", [
          c.conversationId,
        ])
      )[0]!.n,
    );

  it("covers both answers of each rule", () => {
    expect(combinations).toHaveLength(48);
    for (const action of ["post", "read"] as const) {
      const answers = new Set(cases.map((c) => allowed(c, action)));
      expect(answers, action).toEqual(new Set([true, false]));
    }
  });

  it("stores one message (INSERT_ONE) exactly when the rules allow posting", async () => {
    for (const c of cases) {
      const before = await storedCount(c);
      const rows = await query(INSERT_ONE, [c.conversationId, c.actor.id, randomUUID(), "one", c.actor.name]);
      expect({ stored: rows.length, count: await storedCount(c) }, label(c)).toEqual(
        allowed(c, "post") ? { stored: 1, count: before + 1 } : { stored: 0, count: before },
      );
    }
  });

  it("stores each message of a mixed batch (INSERT_MANY) exactly when the rules allow posting", async () => {
    const before = await Promise.all(cases.map(storedCount));
    const ids = cases.map(() => randomUUID());
    const rows = await query<{ k: number }>(INSERT_MANY, [
      cases.map((c) => c.conversationId),
      cases.map((c) => c.actor.id),
      ids,
      cases.map(() => "many"),
      cases.map((c) => c.actor.name),
    ]);
    const storedPositions = new Set(rows.map((r) => Number(r.k)));
    for (const [i, c] of cases.entries()) {
      const post = allowed(c, "post");
      expect({ stored: storedPositions.has(i + 1), count: await storedCount(c) }, label(c)).toEqual({
        stored: post,
        count: before[i]! + (post ? 1 : 0),
      });
    }
  });

  it("stores a message calling everyone, alone or in a batch, exactly when posting and @here are allowed", async () => {
    for (const mentionsRestricted of [false, true]) {
      await query("update conversations set mentions_restricted = $1", [mentionsRestricted]);
      const may = (c: Case) =>
        allowed(c, "post") && decideEveryoneMention(c.actor, { ...c.target, mentionsRestricted }).allowed;
      const restrictedUse = (c: Case) => c.actor.role !== "admin";
      for (const c of cases) {
        const before = await storedCount(c);
        const rows = await query(INSERT_ONE_MENTIONING, [
          ...[c.conversationId, c.actor.id, randomUUID(), "<!here>", c.actor.name],
          ...[[c.conversationId], ["here"], restrictedUse(c)],
        ]);
        expect({ stored: rows.length, count: await storedCount(c) }, label(c)).toEqual(
          may(c) ? { stored: 1, count: before + 1 } : { stored: 0, count: before },
        );
      }
      const rows = await query<{ k: number }>(INSERT_MANY_MENTIONING, [
        cases.map((c) => c.conversationId),
        cases.map((c) => c.actor.id),
        cases.map(() => randomUUID()),
        cases.map(() => "<!channel>"),
        cases.map((c) => c.actor.name),
        cases.map((c) => String(restrictedUse(c))),
        cases.map((_, i) => i + 1),
        cases.map((c) => c.conversationId),
        cases.map(() => "channel"),
      ]);
      const storedPositions = new Set(rows.map((r) => Number(r.k)));
      for (const [i, c] of cases.entries()) expect(storedPositions.has(i + 1), label(c)).toBe(may(c));
    }
  });

  it("returns a history page (one statement for all of them) exactly when the rules allow reading", async () => {
    const rows = await query<{ k: number }>(NEWEST_PAGES, [
      cases.map((c) => c.conversationId),
      cases.map((c) => c.actor.id),
      cases.map(() => 50),
      cases.map(() => null),
    ]);
    const answered = new Set(rows.map((r) => Number(r.k)));
    for (const [i, c] of cases.entries()) expect(answered.has(i + 1), label(c)).toBe(allowed(c, "read"));
  });

  it("returns a thread's history page exactly when the rules allow reading it, as they do its parent", async () => {
    const rows = await query<{ k: number }>(NEWEST_PAGES, [
      cases.map((c) => c.threadId),
      cases.map((c) => c.actor.id),
      cases.map(() => 50),
      cases.map(() => null),
    ]);
    const answered = new Set(rows.map((r) => Number(r.k)));
    for (const [i, c] of cases.entries()) {
      const read = decide(c.actor, "read", { ...c.target, thread: true }).allowed;
      expect(read, label(c)).toBe(allowed(c, "read"));
      expect(answered.has(i + 1), label(c)).toBe(read);
    }
  });

  it("never stores a message into a thread through the send statements, even for a follower", async () => {
    for (const c of cases) {
      const rows = await query(INSERT_ONE, [c.threadId, owner, randomUUID(), "not a reply", "owner"]);
      expect(rows, label(c)).toHaveLength(0);
    }
  });

  it("through the services: sends sent together (and so batched) and history pages, answered as decide says", async () => {
    const before = await Promise.all(cases.map(storedCount));
    // Sent in one synchronous loop: with two inserts in flight, the others wait and go as one batch.
    const sends = await Promise.allSettled(
      cases.map((c) =>
        sendMessage(c.actor, { conversationId: c.conversationId, clientMessageId: randomUUID(), text: "service" }),
      ),
    );
    const pages = await Promise.allSettled(
      cases.flatMap((c) => [
        listMessages(c.actor, { conversationId: c.conversationId }),
        listMessages(c.actor, { conversationId: c.conversationId, after: 0 }),
        listMessages(c.actor, { conversationId: c.conversationId, before: 2 }),
      ]),
    );
    for (const [i, c] of cases.entries()) {
      const post = decide(c.actor, "post", c.target);
      expect({ outcome: outcomeOf(sends[i]!), count: await storedCount(c) }, label(c)).toEqual({
        outcome: post.allowed ? "ok" : post.code,
        count: before[i]! + (post.allowed ? 1 : 0),
      });
      const read = decide(c.actor, "read", c.target);
      for (const page of pages.slice(i * 3, i * 3 + 3)) {
        expect(outcomeOf(page), label(c)).toBe(read.allowed ? "ok" : read.code);
        if (page.status === "fulfilled") expect(page.value.messages.map((m) => m.text)).toContain("first");
      }
    }
  });
});

function outcomeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === "fulfilled") return "ok";
  const reason: unknown = result.reason;
  return reason instanceof AppError ? reason.code : String(reason);
}
