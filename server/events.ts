import { EventEmitter } from "node:events";
import type { Change, Message } from "@/lib/protocol";

/**
 * What the domain reports once a transaction has committed. The realtime layer
 * listens and turns each event into emits to rooms; services never touch
 * Socket.IO. The emitter lives on globalThis so that events raised in Next's
 * bundled route handlers reach the custom server's listeners.
 */
export type DomainEvents = {
  /**
   * `except`: the socket that sent it, which has the message in its ack already; `parentId`: a thread
   * reply's parent conversation, whose members hear it.
   */
  "message.created": [{ message: Message; except?: string; parentId?: string }];
  /** A committed transaction's changes, in the order they were recorded. */
  "changes.recorded": [Change[]];
  "session.ended": [{ sessionId: string }];
};

const globalKey = Symbol.for("parley.events");
type GlobalWithEvents = typeof globalThis & { [globalKey]?: EventEmitter<DomainEvents> };

export function domainEvents(): EventEmitter<DomainEvents> {
  const g = globalThis as GlobalWithEvents;
  g[globalKey] ??= new EventEmitter<DomainEvents>();
  return g[globalKey];
}

export function publish<K extends keyof DomainEvents>(name: K, ...payload: DomainEvents[K]): void {
  // EventEmitter's generic signature does not narrow through a keyed tuple.
  (domainEvents().emit as (n: K, ...p: DomainEvents[K]) => boolean)(name, ...payload);
}
