import type { Message } from "@/lib/protocol";

/**
 * Merges messages into a list ordered by sequence number, keeping one copy of
 * each. Live events, acks, history pages and catch-up all go through here, so
 * whatever order they arrive in, the list is the same on every device.
 */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const last = current[current.length - 1];
  // The common case: one new message after the newest one held.
  if (incoming.length === 1 && (!last || incoming[0]!.seq > last.seq)) return [...current, incoming[0]!];
  const bySeq = new Map<number, Message>();
  for (const message of current) bySeq.set(message.seq, message);
  for (const message of incoming) {
    const held = bySeq.get(message.seq);
    bySeq.set(message.seq, held ? laterState(held, message) : message);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Of two copies of one message, the one that shows it as it is now: a page
 * read before an edit or a delete can arrive after the change itself. A
 * message only moves forward (edited again, or deleted for good), so the
 * deleted copy, or else the later edit, wins; equal ones keep what is held.
 */
export function laterState(held: Message, other: Message): Message {
  if (held.deletedAt !== null) return held;
  if (other.deletedAt !== null) return other;
  return (other.editedAt ?? "") > (held.editedAt ?? "") ? other : held;
}
