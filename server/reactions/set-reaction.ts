import { and, asc, eq } from "drizzle-orm";
import { messages, reactions } from "@/drizzle/schema";
import type { Reaction } from "@/lib/protocol";
import { MAX_REACTION_KINDS, reactInput } from "@/lib/protocol/reactions";
import type { SessionUser } from "@/server/auth/sessions";
import { changing } from "@/server/changes/changing";
import type { Tx } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { accessMessage } from "@/server/policy/access-message";
import { inOrder } from "./in-order";

/**
 * Puts the caller's reaction on a message or takes it back. Each person counts
 * once per emoji, however many devices ask at once (the row's key), and asking
 * for what already is changes nothing and records nothing. Otherwise the
 * message's reactions as they now are go to every member through the feed.
 */
export async function setReaction(user: SessionUser, input: unknown, present: boolean): Promise<Reaction[]> {
  const { conversationId, seq, emoji } = reactInput.parse(input);
  // A socket's toggles of one reaction apply in the order sent: a double tap is "add, then remove",
  // which two transactions side by side could commit the other way round.
  const key = `${user.socketId ?? user.sessionId}:${conversationId}:${seq}:${emoji}`;
  return toggles(key, () => store(user, { conversationId, seq, emoji }, present));
}

const toggles = inOrder();

async function store(
  user: SessionUser,
  { conversationId, seq, emoji }: { conversationId: string; seq: number; emoji: string },
  present: boolean,
): Promise<Reaction[]> {
  return changing(async (tx, record) => {
    const { message } = await accessMessage(user, { conversationId, seq }, "react", tx);
    const before = message.reactions as Reaction[];
    if (present) {
      if (before.length >= MAX_REACTION_KINDS && !before.some((r) => r.emoji === emoji)) {
        throw new AppError("bad_request", `A message can have ${MAX_REACTION_KINDS} different reactions at most`);
      }
      await tx.insert(reactions).values({ messageId: message.id, emoji, userId: user.id }).onConflictDoNothing();
    } else {
      await tx
        .delete(reactions)
        .where(and(eq(reactions.messageId, message.id), eq(reactions.emoji, emoji), eq(reactions.userId, user.id)));
    }
    const after = await reactionsOf(tx, message.id);
    if (sameReactions(after, before)) return after;
    await tx.update(messages).set({ reactions: after }).where(eq(messages.id, message.id));
    await record.conversation(conversationId, { kind: "reactions", conversationId, seq, reactions: after });
    return after;
  });
}

/** A message's reactions, each emoji in the order it was first used and its people in the order they came. */
async function reactionsOf(tx: Tx, messageId: number): Promise<Reaction[]> {
  const rows = await tx
    .select({ emoji: reactions.emoji, userId: reactions.userId })
    .from(reactions)
    .where(eq(reactions.messageId, messageId))
    .orderBy(asc(reactions.createdAt), asc(reactions.userId));
  const byEmoji = new Map<string, string[]>();
  for (const { emoji, userId } of rows) {
    const people = byEmoji.get(emoji);
    if (people) people.push(userId);
    else byEmoji.set(emoji, [userId]);
  }
  return [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds }));
}

function sameReactions(a: Reaction[], b: Reaction[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (r, i) =>
        r.emoji === b[i]!.emoji &&
        r.userIds.length === b[i]!.userIds.length &&
        r.userIds.every((u, j) => u === b[i]!.userIds[j]),
    )
  );
}
