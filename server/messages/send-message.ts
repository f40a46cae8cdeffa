import { sendMessageInput, type Message, type SendMessageInput } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation } from "@/server/conversations/access-conversation";
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
  let message: Message | null;
  try {
    message = await insertIfAllowed(user, data);
  } catch (error) {
    // The same message sent twice at once: the loser's statement failed whole, so no number was used.
    if (!isUniqueViolation(error, "messages_sender_client_id_key")) throw error;
    message = null;
  }
  if (message) {
    publish("message.created", { message, except: user.socketId });
    return message;
  }
  return explainRefusal(user, data);
}

/**
 * One statement, so one round trip and a row lock held only while it runs:
 * it checks membership and that this clientMessageId is new, takes the next
 * sequence number from the conversation row and inserts the message. The
 * statement is atomic, so numbers have no gaps. It returns nothing when the
 * message may not, or need not, be stored.
 */
const INSERT_IF_ALLOWED = `
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
  returning ${messageColumns("$5::text")}`;

async function insertIfAllowed(user: SessionUser, data: SendMessageInput): Promise<Message | null> {
  const [row] = await database().query<MessageRow>(INSERT_IF_ALLOWED, [
    data.conversationId,
    user.id,
    data.clientMessageId,
    data.text,
    user.name,
  ]);
  return row ? toMessage(row) : null;
}

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
