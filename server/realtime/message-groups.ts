import type { Message } from "@/lib/protocol";
import type { DomainEvents } from "@/server/events";

/** A message to emit: stored by this server (`except`: its sender's socket) or relayed from another. */
export type Created = DomainEvents["message.created"][0] & { relayed?: true };

type Dependencies = {
  /** Emits one conversation's group, in sequence order. */
  emit: (conversationId: string, group: Created[]) => void;
  /** Tells the other chat servers about this server's messages. */
  publish: (messages: Message[]) => void;
  /** Settles when this server's next message to the conversation is stored; undefined when none is being stored. */
  sendsStoring: (conversationId: string) => Promise<void> | undefined;
};

/** The longest a relayed message waits for this server's own message. */
export const HOLD_LIMIT_MS = 100;

/**
 * Messages reported in one turn of the event loop (a send batch, see
 * server/messages/send-message.ts) go out together once that turn's promises
 * have settled, one group per conversation. Waiting for the turn's end lets
 * every sender's ack go out before the fan-out's socket writes rather than
 * after them.
 *
 * Messages relayed from other servers to a conversation this server is storing
 * a message for wait until that message is stored, HOLD_LIMIT_MS at most, and
 * go out in the same group as it: with senders on every server, a member's
 * socket then gets one frame per batch rather than one from each server (S6 in
 * docs/performance.md). The others go out at once, so a quiet conversation's
 * messages wait for nothing. Later relayed messages of a conversation wait
 * behind those held, so that none overtakes another.
 */
export function messageGroups({ emit, publish, sendsStoring }: Dependencies) {
  let pending = new Map<string, Created[]>();
  const held = new Map<string, { messages: Message[]; timer: NodeJS.Timeout }>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const groups = pending;
    pending = new Map();
    const stored = [...groups.values()].flatMap((group) => group.filter((c) => !c.relayed).map((c) => c.message));
    if (stored.length > 0) publish(stored);
    for (const [conversationId, group] of groups)
      emit(
        conversationId,
        group.sort((a, b) => a.message.seq - b.message.seq),
      );
  };
  // A tick scheduled from a promise callback runs after the microtasks queued with it: the acks.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(flush);
  };
  const add = (created: Created) => {
    const id = created.message.conversationId;
    const group = pending.get(id);
    if (group) group.push(created);
    else pending.set(id, [created]);
    schedule();
  };
  const hold = (conversationId: string, first: Message, storing: Promise<void>) => {
    const release = () => {
      // Released already, by the other of its two triggers, or dropped by stop().
      if (held.get(conversationId) !== entry) return;
      clearTimeout(entry.timer);
      held.delete(conversationId);
      for (const message of entry.messages) add({ message, relayed: true });
    };
    // A batch stuck on a lost database connection must not hold up what the other servers stored.
    const entry = { messages: [first], timer: setTimeout(release, HOLD_LIMIT_MS) };
    held.set(conversationId, entry);
    void storing.then(release);
  };

  return {
    stored: add,
    /** Drops what waits, for a server shutting down. */
    stop: () => {
      for (const { timer } of held.values()) clearTimeout(timer);
      held.clear();
      pending.clear();
    },
    relayed: (messages: Message[]) => {
      for (const message of messages) {
        const id = message.conversationId;
        const waiting = held.get(id);
        if (waiting) {
          waiting.messages.push(message);
          continue;
        }
        const storing = sendsStoring(id);
        if (!storing) {
          add({ message, relayed: true });
          continue;
        }
        hold(id, message, storing);
      }
    },
  };
}
