import { describe, expect, it } from "vitest";
import { OutboxStorage, type OutboxItem } from "@/lib/client/engine/outbox-storage";
import { MemoryStorage } from "../helpers/memory-storage";

const item = (n: number, createdAt = "2026-11-24T10:00:00.000Z"): OutboxItem => ({
  clientMessageId: `0b5b6c1e-1d2f-4a3b-8c4d-${String(n).padStart(12, "0")}`,
  conversationId: "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10",
  text: `hello ${n}`,
  createdAt,
  status: "pending",
});

describe("outbox storage", () => {
  it("keeps pending messages per user across loads, each under a key of its own", () => {
    const storage = new MemoryStorage();
    new OutboxStorage(storage, "ana").put(item(1));
    new OutboxStorage(storage, "ana").put(item(2));
    expect(new OutboxStorage(storage, "ana").all()).toEqual([item(1), item(2)]);
    expect(new OutboxStorage(storage, "ben").all()).toEqual([]);
    expect(storage.getItem(`parley.outbox.ana.${item(1).clientMessageId}`)).not.toBeNull();
  });

  it("lists items in the order they were written, whatever the order of the keys", () => {
    const storage = new MemoryStorage();
    const outbox = new OutboxStorage(storage, "ana");
    outbox.put(item(1, "2026-11-24T10:00:02.000Z"));
    outbox.put(item(2, "2026-11-24T10:00:01.000Z"));
    outbox.put(item(3, "2026-11-24T10:00:01.000Z"));
    expect(outbox.all().map((i) => i.text)).toEqual(["hello 2", "hello 3", "hello 1"]);
  });

  it("removes an item's key, leaving the others", () => {
    const storage = new MemoryStorage();
    const outbox = new OutboxStorage(storage, "ana");
    outbox.put(item(1));
    outbox.put(item(2));
    outbox.remove(item(1).clientMessageId);
    expect(outbox.all()).toEqual([item(2)]);
    outbox.remove(item(2).clientMessageId);
    expect(storage.length).toBe(0);
  });

  it("skips a corrupt item rather than failing the rest", () => {
    const storage = new MemoryStorage();
    const outbox = new OutboxStorage(storage, "ana");
    outbox.put(item(1));
    storage.setItem("parley.outbox.ana.not-json", "{not json");
    storage.setItem(`parley.outbox.ana.${item(2).clientMessageId}`, JSON.stringify({ text: 1 }));
    expect(outbox.all()).toEqual([item(1)]);
  });

  it("keeps a reply with its thread under a key whose id a tab of an earlier version does not match", () => {
    const storage = new MemoryStorage();
    const outbox = new OutboxStorage(storage, "ana");
    const reply: OutboxItem = { ...item(1), thread: { rootSeq: 4, alsoToChannel: true } };
    outbox.put(reply);
    outbox.put(item(2));
    const key = `parley.outbox.ana.reply.${reply.clientMessageId}`;
    expect(storage.getItem(key)).not.toBeNull();
    // An earlier version takes what follows the prefix for the item's id, and skips an item that is not that id.
    expect(key.slice("parley.outbox.ana.".length)).not.toBe(reply.clientMessageId);
    expect(outbox.itemIdOf(key)).toBe(reply.clientMessageId);
    expect(outbox.get(reply.clientMessageId)).toEqual(reply);
    expect(outbox.all()).toEqual([reply, item(2)]);
    outbox.remove(reply.clientMessageId);
    expect(outbox.all()).toEqual([item(2)]);
  });

  it("moves a one-key outbox of an earlier version to keys of their own, once", () => {
    const storage = new MemoryStorage();
    storage.setItem("parley.outbox.ana", JSON.stringify([item(1), { text: 1 }, item(2)]));
    const outbox = new OutboxStorage(storage, "ana");
    outbox.migrateLegacy();
    expect(storage.getItem("parley.outbox.ana")).toBeNull();
    expect(outbox.all()).toEqual([item(1), item(2)]);
    outbox.remove(item(1).clientMessageId);
    outbox.migrateLegacy();
    expect(outbox.all()).toEqual([item(2)]);
  });

  it("does not bring back, from the old key, an item another tab already changed", () => {
    const storage = new MemoryStorage();
    storage.setItem("parley.outbox.ana", JSON.stringify([item(1)]));
    const outbox = new OutboxStorage(storage, "ana");
    outbox.put({ ...item(1), status: "failed", error: "refused" });
    outbox.migrateLegacy();
    expect(outbox.all()).toEqual([{ ...item(1), status: "failed", error: "refused" }]);
  });

  it("drops a corrupt old key", () => {
    const storage = new MemoryStorage();
    storage.setItem("parley.outbox.ana", "{not json");
    new OutboxStorage(storage, "ana").migrateLegacy();
    expect(storage.length).toBe(0);
  });
});
