import { sendMessageInput, type Message, type SendMessageInput } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation } from "@/server/conversations/access-conversation";
import { batched } from "@/server/db/batched";
import { database } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { publish } from "@/server/events";
import { messageColumns, toMessage, type MessageRow } from "./message-rows";

/**
 * Stores a message and reports it once committed. A resend with the same
 * clientMessageId returns the message already stored.
 */
export async function sendMessage(user: SessionUser, input: unknown): Promise<Message> {
  const data = sendMessageInput.parse(input);
  const message = await storeMessage({ user, data });
  if (message) {
    publish("message.created", { message, except: user.socketId });
    return message;
  }
  return explainRefusal(user, data);
}

type Send = { user: SessionUser; data: SendMessageInput };

/**
 * Messages sent while the previous insert ran are stored together in one
 * statement (a group commit, see server/db/batched.ts): one round trip and one
 * WAL flush for the batch. A message that may not, or need not, be stored
 * gets null.
 */
const storeMessage = batched(async (sends: readonly Send[]): Promise<(Message | null)[]> => {
  const rows = await insertAllowed(sends).catch((error: unknown) => {
    // Another batch stored one of these clientMessageIds meanwhile: this statement failed whole, so
    // no number was used, and run again it leaves that message out as already stored.
    if (!isUniqueViolation(error, "messages_sender_client_id_key")) throw error;
    return insertAllowed(sends);
  });
  const byPosition = new Map(rows.map((row) => [row.k, toMessage(row)]));
  return sends.map((_, i) => byPosition.get(i + 1) ?? null);
});

function insertAllowed(sends: readonly Send[]): Promise<(MessageRow & { k: number })[]> {
  if (sends.length === 1) {
    const [{ user, data }] = sends as [Send];
    return database().query(INSERT_ONE, [data.conversationId, user.id, data.clientMessageId, data.text, user.name]);
  }
  return database().query(INSERT_MANY, [
    sends.map((s) => s.data.conversationId),
    sends.map((s) => s.user.id),
    sends.map((s) => s.data.clientMessageId),
    sends.map((s) => s.data.text),
    sends.map((s) => s.user.name),
  ]);
}

/**
 * Both statements check that the sender is a member, that the conversation is
 * not archived and that the clientMessageId is new; take the next sequence
 * numbers from the conversation row; and insert. Each is atomic, so numbers
 * have no gaps. A batch of one, the usual case on a quiet server, takes the
 * lighter statement (0.40 against 0.55 ms here).
 */
const INSERT_ONE = `
  with allowed as (
    select 1 from conversation_members cm join conversations c on c.id = cm.conversation_id
    where cm.conversation_id = $1::uuid and cm.user_id = $2::uuid and c.archived_at is null
      and not exists (select 1 from messages where sender_id = $2::uuid and client_message_id = $3::uuid)
  ), next as (
    update conversations set last_seq = last_seq + 1
    where id = $1::uuid and exists (select 1 from allowed)
    returning last_seq
  )
  insert into messages as m (conversation_id, seq, sender_id, client_message_id, text)
  select $1::uuid, last_seq, $2::uuid, $3::uuid, $4::text from next
  returning 1 as k, ${messageColumns("$5::text")}`;

/**
 * The batch keeps the first copy of a clientMessageId sent twice in it, and
 * numbers each conversation's messages in the order they arrived. It locks
 * conversation rows in id order, so that batches from several processes
 * cannot deadlock.
 */
const INSERT_MANY = `
  with input as (
    select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])
      with ordinality as i(conversation_id, sender_id, client_message_id, text, sender_name, k)
  ), allowed as (
    select distinct on (i.sender_id, i.client_message_id) i.* from input i
    join conversation_members cm on cm.conversation_id = i.conversation_id and cm.user_id = i.sender_id
    join conversations c on c.id = i.conversation_id and c.archived_at is null
    where not exists (
      select 1 from messages m where m.sender_id = i.sender_id and m.client_message_id = i.client_message_id)
    order by i.sender_id, i.client_message_id, i.k
  ), numbered as (
    select a.*, row_number() over (partition by a.conversation_id order by a.k) as n,
      count(*) over (partition by a.conversation_id) as total
    from allowed a
  ), locked as materialized (
    select id from conversations where id in (select conversation_id from numbered) order by id for update
  ), bumped as (
    update conversations c set last_seq = c.last_seq + t.total
    from (select conversation_id, max(total) as total from numbered group by conversation_id) t
    join locked l on l.id = t.conversation_id
    where c.id = t.conversation_id
    returning c.id, c.last_seq
  ), inserted as (
    insert into messages (conversation_id, seq, sender_id, client_message_id, text)
    select n.conversation_id, b.last_seq - n.total + n.n, n.sender_id, n.client_message_id, n.text
    from numbered n join bumped b on b.id = n.conversation_id
    returning *
  )
  select n.k::int as k, ${messageColumns("n.sender_name")}
  from inserted m join numbered n on n.sender_id = m.sender_id and n.client_message_id = m.client_message_id`;

const FIND_BY_CLIENT_ID = `
  select ${messageColumns("u.name")} from messages m join users u on u.id = m.sender_id
  where m.sender_id = $1::uuid and m.client_message_id = $2::uuid`;

/** Nothing was inserted: the message was already stored, or the sender may not post here. */
async function explainRefusal(user: SessionUser, data: SendMessageInput): Promise<Message> {
  const [existing] = await database().query<MessageRow>(FIND_BY_CLIENT_ID, [user.id, data.clientMessageId]);
  if (existing) {
    if (existing.conversation_id !== data.conversationId) {
      throw new AppError("conflict", "This clientMessageId was already used for another conversation");
    }
    return toMessage(existing);
  }
  const { conversation } = await accessConversation(user, data.conversationId);
  if (conversation.archivedAt) throw new AppError("forbidden", "This conversation is archived");
  throw new AppError("conflict", "The message could not be stored; send it again");
}
