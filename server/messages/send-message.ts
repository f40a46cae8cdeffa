import { sendMessageInput, type Message, type SendMessageInput } from "@/lib/protocol";
import type { SessionUser } from "@/server/auth/sessions";
import { accessConversation, mayRead } from "@/server/policy/access-conversation";
import { batched } from "@/server/db/batched";
import { database } from "@/server/db/client";
import { isStatementError, isUniqueViolation } from "@/server/db/errors";
import { AppError } from "@/server/errors";
import { decideEveryoneMention } from "@/lib/policy/rules";
import { publish } from "@/server/events";
import { INSERT_MANY, INSERT_MANY_MENTIONING, INSERT_ONE, INSERT_ONE_MENTIONING } from "./insert-statements";
import { mentionRows, type MentionRows } from "./mention-rows";
import { asSent, messageColumns, toMessage, type MessageRow } from "./message-rows";
import { sendsInFlight } from "./sends-in-flight";

/**
 * Stores a message and reports it once committed. A resend with the same
 * clientMessageId returns the message already stored.
 */
export async function sendMessage(user: SessionUser, input: unknown): Promise<Message> {
  const data = sendMessageInput.parse(input);
  sending.begin(data.conversationId);
  const mentions = mentionRows(data.conversationId, user.id, data.text);
  const message = await storeMessage({ user, data, mentions }).finally(() => sending.end(data.conversationId));
  if (message) {
    publish("message.created", { message, except: user.socketId });
    return message;
  }
  return explainRefusal(user, data, mentions);
}

type Send = { user: SessionUser; data: SendMessageInput; mentions: MentionRows };

/** Whether the send uses @channel or @here and its sender is not an admin, who may use them anywhere. */
const restrictedUse = (send: Pick<Send, "user" | "mentions">): boolean =>
  send.mentions.everyone && send.user.role !== "admin";

/**
 * Messages sent while the inserts in flight run are stored together in one
 * statement (a group commit, see server/db/batched.ts): one round trip and one
 * WAL flush for the batch. Two batches are in flight on one connection: the
 * second is sent while the first runs, so PostgreSQL starts it without waiting
 * for this process to read the first answer (S4 at four senders spread: 0.68x
 * to 0.71x of raw, against 0.50x to 0.58x with one), and they still commit in
 * the order they were sent. A message that may not, or need not, be stored
 * gets null; one whose storing failed gets its error, and only it.
 */
const storeMessage = batched(storeIsolating, { inFlight: 2 });

/**
 * A statement is atomic, so one row the database refuses fails every send
 * stored with it. Such a batch is split in halves, each stored on its own, until
 * the failing sends are alone: a batch of n with one bad send costs about
 * 2·log2(n) more statements, and no well-formed send shares its fate. A failure
 * of the connection or the server is no one send's fault and fails the batch.
 */
async function storeIsolating(sends: readonly Send[]): Promise<(Message | null | Error)[]> {
  try {
    return await storeBatch(sends);
  } catch (error) {
    if (sends.length === 1 || !isStatementError(error)) return sends.map(() => asError(error));
    const half = Math.ceil(sends.length / 2);
    const first = await storeIsolating(sends.slice(0, half));
    return [...first, ...(await storeIsolating(sends.slice(half)))];
  }
}

async function storeBatch(sends: readonly Send[]): Promise<(Message | null)[]> {
  const rows = await insertAllowed(sends).catch((error: unknown) => {
    // Another batch stored one of these clientMessageIds meanwhile: this statement failed whole, so
    // no number was used, and run again it leaves that message out as already stored.
    if (!isUniqueViolation(error, "messages_sender_client_id_key")) throw error;
    return insertAllowed(sends);
  });
  const byPosition = new Map(rows.map((row) => [row.k, toMessage(row)]));
  return sends.map((_, i) => byPosition.get(i + 1) ?? null);
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Sends being stored. Next's route handlers run their own copy of this module,
 * so sends over HTTP are not counted here: the fan-out only groups them less.
 */
const sending = sendsInFlight();

/**
 * When the next message to this conversation being stored here is reported;
 * undefined when none is. Lets the fan-out send other servers' messages out
 * with this server's (server/realtime/message-groups.ts).
 */
export function sendsStoring(conversationId: string): Promise<void> | undefined {
  return sending.nextStored(conversationId);
}

function insertAllowed(sends: readonly Send[]): Promise<(MessageRow & { k: number })[]> {
  if (sends.length === 1) {
    const [send] = sends as [Send];
    const { user, data, mentions } = send;
    const args = [data.conversationId, user.id, data.clientMessageId, data.text, user.name];
    if (mentions.ids.length === 0) return database().pipelined(INSERT_ONE, args);
    return database().pipelined(INSERT_ONE_MENTIONING, [...args, mentions.ids, mentions.kinds, restrictedUse(send)]);
  }
  const args = [
    sends.map((s) => s.data.conversationId),
    sends.map((s) => s.user.id),
    sends.map((s) => s.data.clientMessageId),
    sends.map((s) => s.data.text),
    sends.map((s) => s.user.name),
  ];
  if (sends.every((s) => s.mentions.ids.length === 0)) return database().pipelined(INSERT_MANY, args);
  const positions = sends.flatMap((s, i) => s.mentions.ids.map(() => i + 1));
  return database().pipelined(INSERT_MANY_MENTIONING, [
    ...args,
    sends.map((s) => String(restrictedUse(s))),
    positions,
    sends.flatMap((s) => s.mentions.ids),
    sends.flatMap((s) => s.mentions.kinds),
  ]);
}

const FIND_BY_CLIENT_ID = `
  select ${messageColumns("u.name")} from messages m join users u on u.id = m.sender_id
  where m.sender_id = $1::uuid and m.client_message_id = $2::uuid`;

/** Nothing was inserted: the message was already stored, or the sender may not post here. */
async function explainRefusal(user: SessionUser, data: SendMessageInput, mentions: MentionRows): Promise<Message> {
  const [existing] = await database().query<MessageRow>(FIND_BY_CLIENT_ID, [user.id, data.clientMessageId]);
  if (existing) {
    if (existing.conversation_id !== data.conversationId) {
      throw new AppError("conflict", "This clientMessageId was already used for another conversation");
    }
    const message = toMessage(existing);
    return (await mayRead(user, data.conversationId)) ? message : asSent(message);
  }
  const { conversation, thread } = await accessConversation(user, data.conversationId, "post");
  if (thread) throw new AppError("bad_request", "Reply in a thread with thread:reply, naming its message");
  const everyone = decideEveryoneMention(user, conversation);
  if (restrictedUse({ user, mentions }) && !everyone.allowed) throw new AppError(everyone.code, everyone.message);
  throw new AppError("conflict", "The message could not be stored; send it again");
}
