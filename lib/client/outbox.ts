import { z } from "@/lib/zod";

/** A message the server has not acknowledged yet. It waits here across reloads until it is stored. */
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

const storageKey = (userId: string) => `parley.outbox.${userId}`;

export function loadOutbox(userId: string, storage: Storage = localStorage): OutboxItem[] {
  try {
    const parsed = z.array(outboxItemSchema).safeParse(JSON.parse(storage.getItem(storageKey(userId)) ?? "[]"));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function saveOutbox(userId: string, items: OutboxItem[], storage: Storage = localStorage): void {
  if (items.length === 0) storage.removeItem(storageKey(userId));
  else storage.setItem(storageKey(userId), JSON.stringify(items));
}
