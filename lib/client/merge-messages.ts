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
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
