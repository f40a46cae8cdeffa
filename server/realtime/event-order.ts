import type { Change, Message } from "@/lib/protocol";
import { conversationOfEvent, type ConversationEvent } from "./conversation-event";

/**
 * An event to emit: committed by this server (a message's `except`: its
 * sender's socket, which has it in its ack) or relayed from another.
 */
export type Outgoing = OutgoingMessage | OutgoingChange;

type OutgoingMessage = { message: Message; except?: string; parentId?: string; relayed?: true };
type OutgoingChange = { change: Change; relayed?: true };

/** A run of messages in sequence order, or one change. */
export type Segment = { messages: OutgoingMessage[] } | { change: OutgoingChange };

type Dependencies = {
  /** Emits one conversation's events of a turn, in the order they were committed. */
  emit: (conversationId: string, segments: Segment[]) => void;
  /** Tells the other chat servers about this server's events. */
  publish: (events: ConversationEvent[]) => void;
  /** Settles when this server's next message to the conversation is stored; undefined when none is being stored. */
  sendsStoring: (conversationId: string) => Promise<void> | undefined;
};

/** The longest a relayed message waits for this server's own message. */
export const HOLD_LIMIT_MS = 100;

/**
 * How long a reaction waits for more of its conversation's events: a storm of
 * reactions in a busy room then reaches each socket in a frame per this long,
 * not one per reaction (the event carries a list of changes).
 */
export const LINGER_MS = 100;

/**
 * Keeps each conversation's events in one order on their way to sockets.
 *
 * Events reported in one turn of the event loop (a send batch, see
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
 * messages wait for nothing. Every later event of a conversation, relayed or
 * this server's own change, waits behind those held, so that none overtakes
 * another: an edit never reaches a socket before the message it edits.
 */
export function eventOrder({ emit, publish, sendsStoring }: Dependencies) {
  let pending = new Map<string, Outgoing[]>();
  const held = new Map<string, { events: Outgoing[]; timer: NodeJS.Timeout }>();
  const lingering = new Map<string, { events: Outgoing[]; timer: NodeJS.Timeout }>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const groups = pending;
    pending = new Map();
    const own = [...groups.values()].flatMap((group) => group.filter((e) => !e.relayed).map(withoutRouting));
    if (own.length > 0) publish(own);
    for (const [conversationId, group] of groups) emit(conversationId, segments(group));
  };
  // A tick scheduled from a promise callback runs after the microtasks queued with it: the acks.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(flush);
  };
  const add = (event: Outgoing) => {
    const id = conversationOfEvent(event);
    const group = pending.get(id);
    if (group) group.push(event);
    else pending.set(id, [event]);
    schedule();
  };
  const hold = (conversationId: string, first: Outgoing, storing: Promise<void>) => {
    const release = () => {
      // Released already, by the other of its two triggers, or dropped by stop().
      if (held.get(conversationId) !== entry) return;
      clearTimeout(entry.timer);
      held.delete(conversationId);
      for (const event of entry.events) add(event);
    };
    // A batch stuck on a lost database connection must not hold up what the other servers stored.
    const entry = { events: [first], timer: setTimeout(release, HOLD_LIMIT_MS) };
    held.set(conversationId, entry);
    void storing.then(release);
  };

  const linger = (conversationId: string, first: Outgoing) => {
    const entry = {
      events: [first],
      timer: setTimeout(() => {
        lingering.delete(conversationId);
        for (const event of entry.events) add(event);
      }, LINGER_MS),
    };
    lingering.set(conversationId, entry);
  };
  /** Where a conversation's next event must wait, to keep its place behind those already waiting. */
  const waitingFor = (conversationId: string) => held.get(conversationId) ?? lingering.get(conversationId);

  return {
    /** This server's messages are never held for others' (a held group waits for them), but keep their order. */
    stored: (event: Outgoing) => {
      const waiting = lingering.get(conversationOfEvent(event));
      if (waiting) waiting.events.push(event);
      else add(event);
    },
    /** This server's changes wait behind what waits for their conversation; a reaction waits for company. */
    changed: (event: Outgoing) => {
      const id = conversationOfEvent(event);
      const waiting = waitingFor(id);
      if (waiting) waiting.events.push(event);
      else if ("change" in event && event.change.data.kind === "reactions") linger(id, event);
      else add(event);
    },
    /** Drops what waits, for a server shutting down. */
    stop: () => {
      for (const { timer } of [...held.values(), ...lingering.values()]) clearTimeout(timer);
      held.clear();
      lingering.clear();
      pending.clear();
    },
    relayed: (events: ConversationEvent[]) => {
      for (const event of events) {
        const id = conversationOfEvent(event);
        const outgoing: Outgoing = { ...event, relayed: true };
        const waiting = waitingFor(id);
        if (waiting) {
          waiting.events.push(outgoing);
          continue;
        }
        const storing = "message" in event ? sendsStoring(id) : undefined;
        if (!storing) {
          add(outgoing);
          continue;
        }
        hold(id, outgoing, storing);
      }
    },
  };
}

function withoutRouting(event: Outgoing): ConversationEvent {
  if (!("message" in event)) return { change: event.change };
  return event.parentId ? { message: event.message, parentId: event.parentId } : { message: event.message };
}

/**
 * Puts a conversation's group in commit order and cuts it at each change.
 * Messages are numbered in the order they commit; a change says the number of
 * the newest message when it was made (Change.atSeq) and goes after it. The
 * sort is stable, so changes made at the same message keep their arrival
 * order. Messages between two changes go out in one frame.
 */
export function segments(group: Outgoing[]): Segment[] {
  const ordered = [...group].sort((a, b) => position(a) - position(b));
  const result: Segment[] = [];
  let run: OutgoingMessage[] = [];
  const endRun = () => {
    if (run.length > 0) result.push({ messages: run });
    run = [];
  };
  for (const event of ordered) {
    if ("message" in event) run.push(event);
    else {
      endRun();
      result.push({ change: event });
    }
  }
  endRun();
  return result;
}

function position(event: Outgoing): number {
  return "message" in event ? event.message.seq : event.change.atSeq + 0.5;
}
