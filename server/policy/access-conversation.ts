import { and, eq, sql, type SQL } from "drizzle-orm";
import { conversationMembers, conversations, workspace } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db, type Tx } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { decide, type Action, type Target } from "@/lib/policy/rules";

type ConversationRow = typeof conversations.$inferSelect;
type MemberRow = typeof conversationMembers.$inferSelect;

/**
 * What the rules decided on: for a thread, its parent and the caller's membership there, with the thread
 * itself in `thread`; otherwise the conversation, and `thread` null.
 */
export type Access = {
  conversation: ConversationRow;
  membership: MemberRow | null;
  isDefault: boolean;
  thread: ConversationRow | null;
};

type Actor = Pick<SessionUser, "id" | "role">;

/**
 * Loads a conversation for someone who wants to do `action` with it, and
 * throws the error the rules give when they may not (lib/policy/rules.ts).
 * Every route, event and service that touches a conversation goes through
 * here; statements on hot paths that check membership inline (sends, history
 * pages) are pinned to the same rules by tests/integration/policy-statements.test.ts.
 * Inside a transaction, pass it: the conversation row then stays locked
 * against concurrent changes until it commits, so changes of one
 * conversation's members and settings happen one at a time.
 */
export async function accessConversation(
  user: Actor,
  conversationId: string,
  action: Action,
  tx?: Tx,
): Promise<Access> {
  // In a transaction the conversation row is locked first, and only then is the membership read: a
  // statement that waits for a lock sees the locked row as it is now but the other rows of its joins as
  // they were, so a member removed meanwhile would still look like one.
  if (tx)
    await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, conversationId))
      .for("update");
  return readAccess(user, conversationId, action, tx ?? db());
}

/**
 * Like accessConversation, reading through `reader` without locking the
 * conversation: for a transaction that locks something else (a message), as
 * sends hold the conversation's lock. On PGlite a statement outside an open
 * transaction waits for it to end, so one inside must read through it.
 */
export async function readAccess(
  user: Actor,
  conversationId: string,
  action: Action,
  reader: Tx | ReturnType<typeof db>,
): Promise<Access> {
  const [row] = await selectAccess(reader, user, eq(conversations.id, conversationId));
  const parentId = row?.conversation.parentId;
  if (!row || !parentId) return authorize(user, action, row && { ...row, thread: null });
  const [parent] = await selectAccess(reader, user, eq(conversations.id, parentId));
  return authorize(user, action, parent && { ...parent, thread: row.conversation });
}

/** Whether the rules let someone read a conversation now: for answers that must not show it to one who may not. */
export async function mayRead(
  user: Actor,
  conversationId: string,
  reader: Tx | ReturnType<typeof db> = db(),
): Promise<boolean> {
  return readAccess(user, conversationId, "read", reader).then(
    () => true,
    (error: unknown) => {
      if (error instanceof AppError) return false;
      throw error;
    },
  );
}

/** What the rules need of a conversation, as `targetColumns` selects it; `kind` is null when none was found. */
export type TargetRow = {
  is_thread: boolean;
  kind: Target["kind"] | "thread" | null;
  name: string | null;
  is_private: boolean;
  archived: boolean;
  is_default: boolean;
  created_by: string | null;
  is_member: boolean;
};

/**
 * The columns of TargetRow, for a statement that reads several conversations'
 * data and checks them at once (catch-up, S9): `s` is the conversation asked
 * about and `c` the one whose rights it has (its parent for a thread, else
 * itself: `coalesce(s.parent_id, s.id)`), both left joined so that one not
 * found still gives a row, and `w` the workspace.
 */
export const targetColumns = (userParam: string) => `
  coalesce(s.parent_id is not null, false) as is_thread, c.kind, c.name, coalesce(c.is_private, false) as is_private, c.archived_at is not null as archived,
  coalesce(w.default_channel_id = c.id, false) as is_default, c.created_by::text as created_by,
  exists (select 1 from conversation_members cm where cm.conversation_id = c.id and cm.user_id = ${userParam})
    as is_member`;

/** Throws the refusal the rules give for a row of `targetColumns`; an unknown conversation is not_found. */
export function authorizeTarget(user: Actor, action: Action, row: TargetRow): void {
  if (row.kind === null || row.kind === "thread") throw new AppError("not_found", "This conversation does not exist");
  const decision = decide(user, action, {
    kind: row.kind,
    name: row.name,
    isPrivate: row.is_private,
    archived: row.archived,
    isDefault: row.is_default,
    createdBy: row.created_by,
    isMember: row.is_member,
    thread: row.is_thread,
  });
  if (!decision.allowed) throw new AppError(decision.code, decision.message);
}

function selectAccess(reader: Tx | ReturnType<typeof db>, user: Actor, where: SQL) {
  return reader
    .select({
      conversation: conversations,
      membership: conversationMembers,
      isDefault: sql<boolean>`coalesce(${workspace.defaultChannelId} = ${conversations.id}, false)`,
    })
    .from(conversations)
    .leftJoin(
      conversationMembers,
      and(eq(conversationMembers.conversationId, conversations.id), eq(conversationMembers.userId, user.id)),
    )
    .leftJoin(workspace, eq(workspace.id, 1))
    .where(where)
    .$dynamic();
}

/** An unknown id gets the same answer as a conversation the caller may not know of. */
function authorize(user: Actor, action: Action, row: Access | undefined): Access {
  if (!row) throw new AppError("not_found", "This conversation does not exist");
  const decision = decide(user, action, targetOf(row));
  if (!decision.allowed) throw new AppError(decision.code, decision.message);
  return row;
}

/** What the rules need of a loaded conversation. */
export function targetOf({ conversation, membership, isDefault, thread }: Access): Target {
  return {
    kind: decidingKind(conversation),
    name: conversation.name,
    isPrivate: conversation.isPrivate,
    archived: conversation.archivedAt !== null,
    isDefault,
    createdBy: conversation.createdBy,
    isMember: membership !== null,
    thread: thread !== null,
  };
}

/** A thread's parent is never a thread (replies to replies are refused), so rights always end at one. */
function decidingKind({ kind }: ConversationRow): Target["kind"] {
  if (kind === "thread") throw new Error("A thread's parent is a thread");
  return kind;
}
