import { describe, expect, it } from "vitest";
import { DraftStore, type DraftTimers } from "@/lib/client/drafts";
import type { KeyValueStorage } from "@/lib/client/engine/outbox-storage";

const userId = "0b5b6c1e-1d2f-4a3b-8c4d-5e6f7a8b9c0d";
const general = { conversationId: "7f1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10" };
const random = { conversationId: "9a1c1a52-8a43-4c58-9a1f-0d5b7c1e2a10" };
const generalKey = `parley.draft.${userId}.${general.conversationId}`;

/** A Storage over a Map that counts writes and can be made to refuse them, as a full localStorage does. */
class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  writes = 0;
  full = false;
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException("quota", "QuotaExceededError");
    this.writes++;
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.writes++;
    this.items.delete(key);
  }
}

/** Timers that run only when the test says so. */
class ManualTimers implements DraftTimers {
  private next = 1;
  private readonly waiting = new Map<number, () => void>();
  setTimeout = (run: () => void) => {
    this.waiting.set(this.next, run);
    return this.next++;
  };
  clearTimeout = (handle: unknown) => {
    this.waiting.delete(handle as number);
  };
  runAll() {
    const runs = [...this.waiting.values()];
    this.waiting.clear();
    for (const run of runs) run();
  }
}

function setup() {
  const storage = new MemoryStorage();
  const timers = new ManualTimers();
  return { storage, timers, drafts: new DraftStore(storage, userId, timers) };
}

describe("DraftStore", () => {
  it("writes once typing pauses, not on every keystroke, and reads what was typed meanwhile", () => {
    const { storage, timers, drafts } = setup();
    for (const text of ["h", "he", "hel", "hello"]) drafts.set(general, text);
    expect(storage.writes).toBe(0);
    expect(drafts.get(general)).toBe("hello");
    timers.runAll();
    expect(storage.writes).toBe(1);
    expect(storage.getItem(generalKey)).toBe("hello");
  });

  it("keeps a draft for another tab or a reload under a key per person and conversation", () => {
    const { storage, drafts } = setup();
    drafts.set(general, "half a thought");
    drafts.flush();
    const reloaded = new DraftStore(storage, userId, new ManualTimers());
    expect(reloaded.get(general)).toBe("half a thought");
    expect(reloaded.get(random)).toBe("");
    expect(new DraftStore(storage, "someone-else", new ManualTimers()).get(general)).toBe("");
  });

  it("keeps a thread's draft apart from its conversation's", () => {
    const { storage, drafts } = setup();
    const thread = { ...general, threadRootSeq: 12 };
    drafts.set(thread, "in the thread");
    drafts.set(general, "in the channel");
    drafts.flush();
    expect(storage.getItem(`${generalKey}.12`)).toBe("in the thread");
    expect(drafts.get(thread)).toBe("in the thread");
    expect(drafts.get(general)).toBe("in the channel");
    drafts.clear(general);
    expect([...drafts.draftedConversations()]).toEqual([]);
  });

  it("removes the draft when the composer is emptied, and at once when its message is sent", () => {
    const { storage, timers, drafts } = setup();
    drafts.set(general, "typo");
    timers.runAll();
    drafts.set(general, "");
    timers.runAll();
    expect(storage.items.has(generalKey)).toBe(false);

    drafts.set(general, "sent right away");
    drafts.clear(general);
    timers.runAll();
    expect(storage.items.has(generalKey)).toBe(false);
    expect(drafts.get(general)).toBe("");
  });

  it("lists the conversations with a draft, telling its listeners only when that list changes", () => {
    const { timers, drafts } = setup();
    let changes = 0;
    drafts.subscribe(() => changes++);
    drafts.set(general, "a");
    drafts.set(general, "ab");
    expect([...drafts.draftedConversations()]).toEqual([general.conversationId]);
    timers.runAll();
    expect([...drafts.draftedConversations()]).toEqual([general.conversationId]);
    expect(changes).toBe(1);
    drafts.set(general, "");
    expect([...drafts.draftedConversations()]).toEqual([]);
    expect(changes).toBe(2);
    expect(drafts.draftedConversations()).toBe(drafts.draftedConversations());
  });

  it("lets the last tab to write win, and hears the other tab's drafts", () => {
    const storage = new MemoryStorage();
    const [timersA, timersB] = [new ManualTimers(), new ManualTimers()];
    const a = new DraftStore(storage, userId, timersA);
    const b = new DraftStore(storage, userId, timersB);
    let heard = 0;
    b.subscribe(() => heard++);
    a.set(general, "from A");
    timersA.runAll();
    b.storageChanged(generalKey);
    expect(heard).toBe(1);
    expect(b.get(general)).toBe("from A");
    expect([...b.draftedConversations()]).toEqual([general.conversationId]);
    b.set(general, "from B");
    timersB.runAll();
    expect(a.get(general)).toBe("from B");
    b.storageChanged("parley.outbox.something");
    expect(heard).toBe(1);
    storage.items.clear();
    b.storageChanged(null);
    expect(heard).toBe(2);
    expect([...b.draftedConversations()]).toEqual([]);
  });

  it("keeps the draft in memory when storage refuses it, and writes it once storage takes it", () => {
    const { storage, timers, drafts } = setup();
    storage.full = true;
    drafts.set(general, "kept anyway");
    expect(() => timers.runAll()).not.toThrow();
    expect(drafts.get(general)).toBe("kept anyway");
    storage.full = false;
    drafts.flush();
    expect(storage.getItem(generalKey)).toBe("kept anyway");
  });
});

describe("signing out", () => {
  it("forgets every draft of the person, written or waiting, and no other person's", () => {
    const storage = new MemoryStorage();
    const timers = new ManualTimers();
    const otherKey = `parley.draft.9b3e3c74-ac65-4e7a-9c3b-2f7d9e3a4c32.${general.conversationId}`;
    storage.setItem(otherKey, "someone else's");
    const drafts = new DraftStore(storage, userId, timers);
    drafts.set(general, "written");
    timers.runAll();
    drafts.set(random, "still waiting");
    drafts.set({ ...general, threadRootSeq: 3 }, "in a thread");
    timers.runAll();
    drafts.set(random, "typed last");

    drafts.forgetAll();
    timers.runAll();
    expect([...storage.items.keys()]).toEqual([otherKey]);
    expect(drafts.get(general)).toBe("");
    expect(drafts.get(random)).toBe("");
    expect(drafts.draftedConversations().size).toBe(0);
  });
});
