import type { Message, User } from "@/lib/protocol";
import { localDay } from "./day-dividers";
import type { OutboxItem } from "./engine/outbox-storage";

/** `newDay`: the first row of a local day, under that day's divider. */
export type Row =
  | { kind: "message"; message: Message; continued: boolean; newDay: boolean }
  | { kind: "pending"; item: OutboxItem; continued: boolean; newDay: boolean };

/** Five minutes: later messages from the same person start a new group with name and time. */
const GROUP_GAP_MS = 5 * 60 * 1000;

/**
 * The rows of a conversation: stored messages, then this person's unsent ones. A pending row is
 * grouped exactly as the stored message it becomes, so it keeps its height when the server
 * confirms it; a row that shrinks at the bottom while the list follows it throws the list off.
 * A group never runs past a day divider.
 */
export function toRows(messages: Message[], outbox: OutboxItem[], conversationId: string, me: Pick<User, "id">): Row[] {
  const stored = new Set(messages.map((m) => m.clientMessageId));
  const rows: Row[] = [];
  let previous: { senderId: string; createdAt: string; day: string } | undefined;
  /** Where the row of this sender and time goes: under a new divider, in the previous group, or neither. */
  const place = (senderId: string, createdAt: string) => {
    const day = localDay(createdAt);
    const newDay = previous?.day !== day;
    const continued =
      !newDay &&
      previous !== undefined &&
      previous.senderId === senderId &&
      Date.parse(createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
    previous = { senderId, createdAt, day };
    return { continued, newDay };
  };

  for (const message of messages) {
    rows.push({ kind: "message", message, ...place(message.sender.id, message.createdAt) });
  }
  for (const item of outbox) {
    if (item.conversationId !== conversationId || stored.has(item.clientMessageId)) continue;
    rows.push({ kind: "pending", item, ...place(me.id, item.createdAt) });
  }
  return rows;
}

/** How many messages from other people arrived after the one with sequence number `seenSeq`. */
export function countNewFromOthers(messages: Message[], seenSeq: number, me: Pick<User, "id">): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > seenSeq; i--) {
    if (messages[i]!.sender.id !== me.id) count++;
  }
  return count;
}

/** The newest message of this person that is not deleted: what Up in an empty composer edits. */
export function lastOwnMessage(messages: readonly Message[], me: Pick<User, "id">): Message | undefined {
  return messages.findLast((m) => m.sender.id === me.id && m.deletedAt === null);
}
