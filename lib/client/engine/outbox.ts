import type { ChatAction } from "./actions";
import type { Locks } from "./locks";
import type { OutboxItem, OutboxStorage } from "./outbox-storage";

/** What became of one send: stored (acked), refused by the server, or not sent (no connection, no ack). */
export type SendOutcome = { kind: "stored" } | { kind: "refused"; error: string } | { kind: "unsent" };

type OutboxDeps = {
  storage: OutboxStorage;
  locks: Locks;
  /** The lock every tab of this person takes around a flush. */
  lockName: string;
  dispatch: (action: ChatAction) => void;
  send: (item: OutboxItem) => Promise<SendOutcome>;
  now: () => Date;
};

/**
 * The messages and thread replies this person wrote that no server has acknowledged, shared by all their
 * tabs through storage. Storage is the truth: a tab writes only the items it changes, hears of the other
 * tabs' changes through storage events, and flushes under a lock that every tab takes, reading the items
 * afresh inside it, so that one tab at a time sends and none sends what another already has.
 */
export class Outbox {
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private lastCreatedAt = 0;

  constructor(private readonly deps: OutboxDeps) {}

  /** Reads what waits in storage, from this tab's last visit or another tab's. */
  load(): void {
    this.deps.storage.migrateLegacy();
    this.deps.dispatch({ type: "outbox-loaded", items: this.deps.storage.all() });
  }

  /** Another tab changed storage key `key` (null: cleared it all). */
  changedElsewhere(key: string | null): void {
    // A tab still running the version before this one writes the one-key outbox.
    if (key === null || this.deps.storage.isLegacyKey(key)) return this.load();
    const id = this.deps.storage.itemIdOf(key);
    if (id === null) return;
    const item = this.deps.storage.get(id);
    this.deps.dispatch(
      item ? { type: "outbox-item-saved", item } : { type: "outbox-items-removed", clientMessageIds: [id] },
    );
    // That tab may be offline where this one is not.
    if (item?.status === "pending") void this.flush();
  }

  /** A message to write in `conversationId`, or (`thread`) a reply in the thread of one of its messages. */
  add(clientMessageId: string, conversationId: string, text: string, thread?: OutboxItem["thread"]): void {
    // After everything already waiting, from any tab, so that the order of writing survives equal clock readings.
    const newest = this.deps.storage.all().at(-1)?.createdAt;
    this.lastCreatedAt = Math.max(
      this.deps.now().getTime(),
      this.lastCreatedAt + 1,
      newest === undefined ? 0 : Date.parse(newest) + 1,
    );
    const createdAt = new Date(this.lastCreatedAt).toISOString();
    this.save({ clientMessageId, conversationId, thread, text, createdAt, status: "pending" });
  }

  retry(clientMessageId: string): void {
    const item = this.deps.storage.get(clientMessageId);
    if (item) this.save({ ...item, status: "pending", error: undefined });
  }

  discard(clientMessageId: string): void {
    this.removeAll([clientMessageId]);
  }

  /** These messages are stored (an ack, or a messages:new from another tab's or device's send). */
  stored(clientMessageIds: string[]): void {
    this.removeAll(clientMessageIds);
  }

  /**
   * Sends what is pending, one message at a time, in writing order. Calls while a flush runs make it
   * go round once more rather than queue flushes of their own. Resolves when nothing is left to try.
   */
  flush(): Promise<void> {
    this.flushAgain = true;
    // Started in a later microtask, so that `flushing` is set before the run can end and clear it.
    this.flushing ??= Promise.resolve().then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.flushAgain) {
      this.flushAgain = false;
      try {
        await this.deps.locks(this.deps.lockName, () => this.sendPending());
      } catch {
        // The lock was not granted (the page is going away): the items stay for the next flush.
      }
    }
    this.flushing = null;
  }

  private async sendPending(): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      // Afresh from storage each time: another tab may have added, sent or discarded items since.
      const item = this.deps.storage.all().find((i) => i.status === "pending" && !tried.has(i.clientMessageId));
      if (!item) return;
      tried.add(item.clientMessageId);
      const outcome = await this.deps.send(item);
      if (outcome.kind === "unsent") return;
      if (outcome.kind === "stored") this.removeAll([item.clientMessageId]);
      else if (this.deps.storage.get(item.clientMessageId))
        this.save({ ...item, status: "failed", error: outcome.error });
    }
  }

  private save(item: OutboxItem): void {
    this.deps.storage.put(item);
    this.deps.dispatch({ type: "outbox-item-saved", item });
  }

  private removeAll(clientMessageIds: string[]): void {
    for (const id of clientMessageIds) this.deps.storage.remove(id);
    this.deps.dispatch({ type: "outbox-items-removed", clientMessageIds });
  }
}
