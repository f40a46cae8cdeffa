import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import type { ChangeData, ConversationInfo, Person } from "@/lib/protocol";
import { changes, changeStreams, conversationMembers, conversations, sessions, users } from "@/drizzle/schema";
import { hashPassword } from "@/server/auth/passwords";
import { recorder, type Recorder } from "@/server/changes/changing";
import { addMembers, removeMember } from "@/server/conversations/membership";
import { readConversationInfo } from "@/server/conversations/read-conversations";
import type { Db, Tx } from "@/server/db/client";
import { AUTH_SECRET } from "./seed";

/** Everyone but the person: a DM partner each, and the pool groups and channels draw from. */
const OTHERS = 300;
const CHANNELS = 100;
const GROUPS = 100;
/** Messages the person has read in each conversation, before the unread ones. */
const READ_PER_CONVERSATION = 20;

type Kind = "channel" | "dm" | "group";

type PlannedConversation = {
  id: string;
  kind: Kind;
  name: string | null;
  isPrivate: boolean;
  /** Indexes into people; 0, the person, first. */
  members: number[];
  /** A member other than the person, who sends its messages. */
  sender: number;
};

/** One person in 100 channels, 300 DMs and 100 groups, the same ids in every database it is written to. */
export type SidebarLayout = {
  people: Person[];
  sessionId: string;
  conversations: PlannedConversation[];
};

/** What a client held before the feed's latest changes, and what catching up from there returns. */
export type FeedState = {
  /** Stream id -> the position the client held: the person's stream and each of their conversations'. */
  held: Map<string, number>;
  /** Changes past the held positions, in all of those streams. */
  expectedChanges: number;
};

export function planSidebar(): SidebarLayout {
  const people = Array.from({ length: 1 + OTHERS }, (_, i) => ({ id: randomUUID(), name: `S9 Person ${i}` }));
  const other = (k: number) => 1 + (((k % OTHERS) + OTHERS) % OTHERS);
  const planned: PlannedConversation[] = [];
  for (let c = 0; c < CHANNELS; c++) {
    // 5 to 104 others each, in a run starting at a different place.
    const start = (c * 29) % OTHERS;
    const members = [0, ...Array.from({ length: 5 + ((c * 37) % 100) }, (_, j) => other(start + j))];
    planned.push({
      id: randomUUID(),
      kind: "channel",
      name: `s9-channel-${c}`,
      isPrivate: c % 10 === 0,
      members,
      sender: members[1]!,
    });
  }
  for (let d = 0; d < OTHERS; d++) {
    planned.push({ id: randomUUID(), kind: "dm", name: null, isPrivate: false, members: [0, d + 1], sender: d + 1 });
  }
  for (let g = 0; g < GROUPS; g++) {
    // 2 to 8 others; size and start together differ for every g < 300, so no two groups share a key.
    const start = (g * 13) % OTHERS;
    const members = [0, ...Array.from({ length: 2 + (g % 7) }, (_, j) => other(start + j))];
    planned.push({ id: randomUUID(), kind: "group", name: null, isPrivate: false, members, sender: members[1]! });
  }
  return { people, sessionId: randomUUID(), conversations: planned };
}

/** The person's cookie: a next-auth JWT naming their session row, as sign-in makes it. */
export async function personCookie(layout: SidebarLayout): Promise<string> {
  const person = layout.people[0]!;
  const token = await encode({
    token: { sub: person.id, sid: layout.sessionId, name: person.name, email: emailOf(0) },
    secret: AUTH_SECRET,
  });
  return `next-auth.session-token=${token}`;
}

/**
 * `total` unread messages spread over the person's conversations: a third
 * have none, channels get four shares, groups two, DMs one.
 */
export function unreadPlan(layout: SidebarLayout, total: number): number[] {
  const weights = layout.conversations.map((c, i): number =>
    i % 3 === 2 ? 0 : c.kind === "channel" ? 4 : c.kind === "group" ? 2 : 1,
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  const unread = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - unread.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i++) {
    if (weights[i] === 0) continue;
    unread[i]! += 1;
    rest -= 1;
  }
  return unread;
}

/**
 * Writes the layout with `unread` messages per conversation past the
 * person's read position, in bulk SQL: rows as the server keeps them
 * (member_key, member_count, each conversation's creation in its own stream
 * and each membership in its member's). Then makes the changes a client that
 * was away would catch up on, through the server's own membership and feed
 * code: topics and names, people added and removed, read positions.
 */
export async function seedSidebar(db: Db, layout: SidebarLayout, unread: number[]): Promise<FeedState> {
  const { people } = layout;
  const passwordHash = await hashPassword("bench-password");
  await db.insert(users).values(people.map((p, i) => ({ id: p.id, email: emailOf(i), name: p.name, passwordHash })));
  const expiresAt = new Date(Date.now() + 24 * 3600 * 1000);
  await db.insert(sessions).values({ id: layout.sessionId, userId: people[0]!.id, expiresAt });

  const lastSeqs = layout.conversations.map((_, i) => READ_PER_CONVERSATION + unread[i]!);
  await db.insert(conversations).values(
    layout.conversations.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      isPrivate: c.isPrivate,
      memberKey: c.kind === "channel" ? null : memberKey(c.members.map((m) => people[m]!.id)),
      memberCount: c.members.length,
      createdBy: people[0]!.id,
    })),
  );
  const memberRows = layout.conversations.flatMap((c, i) =>
    c.members.map((m) => ({
      conversationId: c.id,
      userId: people[m]!.id,
      role: m === 0 ? ("owner" as const) : ("member" as const),
      lastReadSeq: m === 0 ? READ_PER_CONVERSATION : lastSeqs[i]!,
    })),
  );
  for (const chunk of chunks(memberRows, 2000)) await db.insert(conversationMembers).values(chunk);
  await seedCreationFeed(db, layout);
  await seedMessages(db, layout, lastSeqs);

  const streams = [people[0]!.id, ...layout.conversations.map((c) => c.id)];
  const held = await streamPositions(db, streams);
  await makeChanges(db, layout);
  await db.execute(sql`analyze`);
  return { held, expectedChanges: await countChangesAfter(db, held) };
}

/** What opening each conversation with all its members at once records (addMembers), without its statements. */
async function seedCreationFeed(db: Db, layout: SidebarLayout): Promise<void> {
  const { people } = layout;
  const rows: { streamId: string; key: string; seq: number; atSeq: number; data: ChangeData }[] = [];
  const streamSeqs = new Map<string, number>();
  const next = (stream: string) => {
    const seq = (streamSeqs.get(stream) ?? 0) + 1;
    streamSeqs.set(stream, seq);
    return seq;
  };
  for (const c of layout.conversations) {
    const info: ConversationInfo = {
      id: c.id,
      kind: c.kind,
      name: c.name,
      topic: "",
      description: "",
      isPrivate: c.isPrivate,
      archived: false,
      isDefault: false,
      createdBy: people[0]!.id,
      memberCount: c.members.length,
      mentionsRestricted: false,
      members:
        c.kind === "channel"
          ? []
          : c.members.map((m) => people[m]!).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    };
    rows.push({
      streamId: c.id,
      key: "conversation",
      seq: next(c.id),
      atSeq: 0,
      data: { kind: "conversation", conversation: info },
    });
    for (const m of c.members) {
      const member = people[m]!;
      rows.push({
        streamId: c.id,
        key: `member:${member.id}`,
        seq: next(c.id),
        atSeq: 0,
        data: { kind: "member", conversationId: c.id, userId: member.id, member },
      });
    }
    const changeSeq = streamSeqs.get(c.id)!;
    for (const m of c.members) {
      const userId = people[m]!.id;
      const conversation = { ...info, lastSeq: 0, lastReadSeq: 0, mentionSeqs: [], changeSeq, lastMessageAt: null };
      rows.push({
        streamId: userId,
        key: `membership:${c.id}`,
        seq: next(userId),
        atSeq: 0,
        data: { kind: "membership", conversationId: c.id, conversation },
      });
    }
  }
  for (const chunk of chunks(rows, 1000)) await db.insert(changes).values(chunk);
  await db.insert(changeStreams).values([...streamSeqs].map(([id, lastSeq]) => ({ id, lastSeq })));
}

/** Each conversation's messages, numbered 1..lastSeq, a second apart, in one statement. */
async function seedMessages(db: Db, layout: SidebarLayout, lastSeqs: number[]): Promise<void> {
  const values = layout.conversations.map(
    (c, i) => sql`(${c.id}::uuid, ${lastSeqs[i]!}::int, ${layout.people[c.sender]!.id}::uuid)`,
  );
  await db.execute(sql`
    with plan(conversation_id, n, sender_id) as (values ${sql.join(values, sql`, `)}),
    inserted as (
      insert into messages (conversation_id, seq, sender_id, client_message_id, text, created_at)
      select p.conversation_id, g, p.sender_id, gen_random_uuid(), 'sidebar message number ' || g,
             now() - make_interval(secs => p.n - g)
      from plan p cross join lateral generate_series(1, p.n) g
    )
    update conversations c set last_seq = p.n from plan p where c.id = p.conversation_id`);
}

/**
 * While the client was away: 30 channel topics and 10 names changed, 10
 * channels gained a member and 5 lost one, and the person read 100 DMs
 * on another device. Each in a transaction of its own, as the routes make them.
 */
async function makeChanges(db: Db, layout: SidebarLayout): Promise<void> {
  const { people } = layout;
  const channels = layout.conversations.filter((c) => c.kind === "channel");
  const dms = layout.conversations.filter((c) => c.kind === "dm");
  const inTransaction = (work: (tx: Tx, record: Recorder) => Promise<unknown>) =>
    db.transaction(async (tx) => {
      await work(tx, recorder(tx));
    });
  const update = (c: PlannedConversation, set: { topic?: string; name?: string }) =>
    inTransaction(async (tx, record) => {
      await tx
        .update(conversations)
        .set(set)
        .where(sql`${conversations.id} = ${c.id}`);
      await record.conversation(c.id, { kind: "conversation", conversation: await readConversationInfo(tx, c.id) });
    });
  for (const c of channels.slice(0, 30)) await update(c, { topic: `What ${c.name} is about now` });
  for (const c of channels.slice(30, 40)) await update(c, { name: `${c.name}-renamed` });
  for (const c of channels.slice(40, 50)) {
    // Channel members are a run of others; the one just past the run is not in it.
    const newcomer = people[1 + (c.members.at(-1)! % OTHERS)]!;
    await inTransaction((tx, record) => addMembers(tx, record, c.id, [newcomer]));
  }
  for (const c of channels.slice(50, 55)) {
    await inTransaction((tx, record) => removeMember(tx, record, c.id, people[c.members[1]!]!.id));
  }
  for (const c of dms.slice(0, 100)) {
    await inTransaction((_, record) =>
      record.user(people[0]!.id, { kind: "read", conversationId: c.id, lastReadSeq: READ_PER_CONVERSATION }),
    );
  }
}

async function streamPositions(db: Db, ids: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: changeStreams.id, seq: changeStreams.lastSeq })
    .from(changeStreams)
    .where(sql`${changeStreams.id} in ${ids}`);
  return new Map(ids.map((id) => [id, rows.find((r) => r.id === id)?.seq ?? 0]));
}

async function countChangesAfter(db: Db, held: Map<string, number>): Promise<number> {
  let total = 0;
  for (const [id, after] of held) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(changes)
      .where(sql`${changes.streamId} = ${id} and ${changes.seq} > ${after}`);
    total += row?.n ?? 0;
  }
  return total;
}

function memberKey(ids: string[]): string {
  return [...ids].sort().join(",");
}

function emailOf(i: number): string {
  return `s9-person-${i}@bench.test`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
