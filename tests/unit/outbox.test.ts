import { describe, expect, it } from "vitest";
import { loadOutbox, saveOutbox, type OutboxItem } from "@/lib/client/outbox";

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const item: OutboxItem = {
  clientMessageId: "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d",
  conversationId: "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10",
  text: "hello",
  createdAt: "2026-11-24T10:00:00.000Z",
  status: "pending",
};

describe("outbox storage", () => {
  it("keeps pending messages per user across loads", () => {
    const storage = new MemoryStorage();
    saveOutbox("ana", [item], storage);
    expect(loadOutbox("ana", storage)).toEqual([item]);
    expect(loadOutbox("ben", storage)).toEqual([]);
  });

  it("removes the key once empty", () => {
    const storage = new MemoryStorage();
    saveOutbox("ana", [item], storage);
    saveOutbox("ana", [], storage);
    expect(storage.length).toBe(0);
  });

  it("starts empty rather than failing on corrupt storage", () => {
    const storage = new MemoryStorage();
    storage.setItem("parley.outbox.ana", "{not json");
    expect(loadOutbox("ana", storage)).toEqual([]);
    storage.setItem("parley.outbox.ana", JSON.stringify([{ text: 1 }]));
    expect(loadOutbox("ana", storage)).toEqual([]);
  });
});
