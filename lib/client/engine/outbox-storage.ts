import { z } from "@/lib/zod";

/**
 * A message the server has not acknowledged yet. It waits in storage across reloads until it is stored.
 * A reply in a thread has `thread`: it goes to the thread of message `rootSeq` of `conversationId`.
 */
const outboxItemSchema = z.object({
  clientMessageId: z.uuid(),
  conversationId: z.uuid(),
  thread: z.object({ rootSeq: z.number().int().positive(), alsoToChannel: z.boolean() }).optional(),
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
/**
 * Replies are kept under `…reply.<clientMessageId>`: a tab of a version before replies had an outbox reads
 * that key as an item whose id does not match and skips it, where it would have sent a reply it cannot
 * tell from a message (its schema drops `thread`) to the conversation itself.
 */
const REPLY = "reply.";

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
    if (!key.startsWith(prefix)) return null;
    const id = key.slice(prefix.length);
    return id.startsWith(REPLY) ? id.slice(REPLY.length) : id;
  }

  isLegacyKey(key: string): boolean {
    return key === legacyKey(this.userId);
  }

  get(clientMessageId: string): OutboxItem | null {
    return this.read(this.key(clientMessageId, false)) ?? this.read(this.key(clientMessageId, true));
  }

  /** Every readable item, in writing order; an unreadable one is skipped rather than failing the rest. */
  all(): OutboxItem[] {
    const items: OutboxItem[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const item = this.read(this.storage.key(i) ?? "");
      if (item) items.push(item);
    }
    return items.sort(byWritingOrder);
  }

  put(item: OutboxItem): void {
    this.storage.setItem(this.key(item.clientMessageId, item.thread !== undefined), JSON.stringify(item));
  }

  remove(clientMessageId: string): void {
    this.storage.removeItem(this.key(clientMessageId, false));
    this.storage.removeItem(this.key(clientMessageId, true));
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

  private key(clientMessageId: string, isReply: boolean): string {
    return itemPrefix(this.userId) + (isReply ? REPLY : "") + clientMessageId;
  }

  /** The item under `key`, when it is one: the key names the item it holds, so another key's copy is not one. */
  private read(key: string): OutboxItem | null {
    const id = this.itemIdOf(key);
    if (id === null) return null;
    try {
      const parsed = outboxItemSchema.safeParse(JSON.parse(this.storage.getItem(key) ?? "null"));
      return parsed.success && parsed.data.clientMessageId === id ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
