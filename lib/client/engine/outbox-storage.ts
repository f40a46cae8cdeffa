import { z } from "@/lib/zod";

/** A message the server has not acknowledged yet. It waits in storage across reloads until it is stored. */
const outboxItemSchema = z.object({
  clientMessageId: z.uuid(),
  conversationId: z.uuid(),
  text: z.string(),
  createdAt: z.string(),
  /** failed: the server refused it (not a network problem); it waits for Retry or Discard. */
  status: z.enum(["pending", "failed"]),
  error: z.string().optional(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

/** What the outbox needs of localStorage; a plain object in tests. */
export type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

/** Before each item had a key of its own, one key held a whole outbox, which two tabs overwrote in turns. */
const legacyKey = (userId: string) => `parley.outbox.${userId}`;
const itemPrefix = (userId: string) => `parley.outbox.${userId}.`;

/** The order messages were written in, across tabs; equal times (two tabs in one millisecond) by id. */
export function byWritingOrder(a: OutboxItem, b: OutboxItem): number {
  return a.createdAt.localeCompare(b.createdAt) || a.clientMessageId.localeCompare(b.clientMessageId);
}

/**
 * One person's outbox in storage, each item under a key of its own, so that a tab only ever writes the
 * items it changes and never puts back one another tab has sent or discarded.
 */
export class OutboxStorage {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly userId: string,
  ) {}

  /** Which item a storage key holds: a clientMessageId, or null for any other key. */
  itemIdOf(key: string): string | null {
    const prefix = itemPrefix(this.userId);
    return key.startsWith(prefix) ? key.slice(prefix.length) : null;
  }

  isLegacyKey(key: string): boolean {
    return key === legacyKey(this.userId);
  }

  get(clientMessageId: string): OutboxItem | null {
    try {
      const parsed = outboxItemSchema.safeParse(JSON.parse(this.storage.getItem(this.key(clientMessageId)) ?? "null"));
      return parsed.success && parsed.data.clientMessageId === clientMessageId ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Every readable item, in writing order; an unreadable one is skipped rather than failing the rest. */
  all(): OutboxItem[] {
    const items: OutboxItem[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const id = this.itemIdOf(this.storage.key(i) ?? "");
      const item = id === null ? null : this.get(id);
      if (item) items.push(item);
    }
    return items.sort(byWritingOrder);
  }

  put(item: OutboxItem): void {
    this.storage.setItem(this.key(item.clientMessageId), JSON.stringify(item));
  }

  remove(clientMessageId: string): void {
    this.storage.removeItem(this.key(clientMessageId));
  }

  /** Moves the items of the one-key outbox to keys of their own. Any number of tabs may do it at once. */
  migrateLegacy(): void {
    const raw = this.storage.getItem(legacyKey(this.userId));
    if (raw === null) return;
    let parsed;
    try {
      parsed = z.array(z.unknown()).safeParse(JSON.parse(raw));
    } catch {
      parsed = null;
    }
    for (const entry of parsed?.success ? parsed.data : []) {
      const item = outboxItemSchema.safeParse(entry);
      if (item.success && this.get(item.data.clientMessageId) === null) this.put(item.data);
    }
    this.storage.removeItem(legacyKey(this.userId));
  }

  private key(clientMessageId: string): string {
    return itemPrefix(this.userId) + clientMessageId;
  }
}
