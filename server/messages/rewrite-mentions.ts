import { and, eq, sql } from "drizzle-orm";
import { mentions, type messages } from "@/drizzle/schema";
import type { Tx } from "@/server/db/client";
import { mentionRows, type MentionRows } from "./mention-rows";

/**
 * Makes a message's mentions those of its text as it now is (none once
 * deleted), for the conversation's members only, inside the transaction that
 * changed the text. A thread's reply (`parentId` its parent) mentions people of
 * the parent by name; @channel and @here call no one there.
 */
export async function rewriteMentions(
  tx: Tx,
  message: typeof messages.$inferSelect,
  parentId: string | null = null,
): Promise<MentionRows> {
  const rows = parentId
    ? peopleOnly(mentionRows(message.conversationId, message.senderId, message.text))
    : mentionRows(message.conversationId, message.senderId, message.text);
  const membersOf = parentId ?? message.conversationId;
  // Mentions the text still makes keep their rows, and so their place in the Mentions view (newest
  // first by row): fixing a typo in a year-old message does not make it the newest mention.
  await tx
    .delete(mentions)
    .where(
      and(
        eq(mentions.conversationId, message.conversationId),
        eq(mentions.seq, message.seq),
        sql`not (${mentions.mentionedId} = any(${arrayLiteral(rows.ids)}::uuid[]))`,
      ),
    );
  if (rows.ids.length > 0) {
    await tx.execute(sql`
      insert into mentions (conversation_id, seq, mentioned_id, kind, sender_id)
      select ${message.conversationId}::uuid, ${message.seq}::bigint, x.mentioned_id, x.kind::mention_kind, ${message.senderId}::uuid
      from unnest(${arrayLiteral(rows.ids)}::uuid[], ${arrayLiteral(rows.kinds)}::text[]) x(mentioned_id, kind)
      where x.kind <> 'user' or exists (select 1 from conversation_members cm
        where cm.conversation_id = ${membersOf}::uuid and cm.user_id = x.mentioned_id)
      on conflict (conversation_id, mentioned_id, seq) do update set kind = excluded.kind`);
  }
  return rows;
}

function peopleOnly(rows: MentionRows): MentionRows {
  const people = rows.kinds.flatMap((kind, i) => (kind === "user" ? [rows.ids[i]!] : []));
  return { ids: people, kinds: people.map(() => "user"), everyone: false };
}

/** A PostgreSQL array literal of ids and kinds, which hold no character it would need to quote. */
const arrayLiteral = (items: readonly string[]): string => `{${items.join(",")}}`;
