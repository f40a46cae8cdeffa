import type { KeyValueStorage } from "./engine/outbox-storage";

/** What was typed but not sent: in a conversation, or (threadRootSeq) in the thread under one of its messages. */
export type DraftKey = { conversationId: string; threadRootSeq?: number };

/** The timers a draft store waits with; the window's in the browser, fakes in tests. */
export type DraftTimers = {
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

/** Long enough that typing a word is one write, short enough that little is lost to a crash. */
export const DRAFT_WRITE_DELAY_MS = 400;

const prefixOf = (userId: string) => `parley.draft.${userId}.`;

/**
 * One person's drafts, each under a key of its own (`parley.draft.<userId>.<conversationId>`, with
 * `.<threadRootSeq>` for a thread), so that tabs only ever overwrite the draft they type in: the last
 * write wins. Writes wait until typing pauses; until then `get` answers from memory, so switching
 * conversations never shows an older text. An empty draft is no draft: its key is removed.
 */
export class DraftStore {
  private readonly pending = new Map<string, { text: string; handle: unknown }>();
  private readonly listeners = new Set<() => void>();
  private drafted: ReadonlySet<string> | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly userId: string,
    private readonly timers: DraftTimers,
    private readonly delayMs = DRAFT_WRITE_DELAY_MS,
  ) {}

  get(key: DraftKey): string {
    const storageKey = this.keyOf(key);
    return this.pending.get(storageKey)?.text ?? this.read(storageKey);
  }

  /** Keeps `text` as the draft, written to storage once typing pauses. */
  set(key: DraftKey, text: string): void {
    const storageKey = this.keyOf(key);
    const hadDraft = this.get(key) !== "";
    const previous = this.pending.get(storageKey);
    if (previous) this.timers.clearTimeout(previous.handle);
    const handle = this.timers.setTimeout(() => this.write(storageKey), this.delayMs);
    this.pending.set(storageKey, { text, handle });
    if (hadDraft !== (text !== "")) this.changed();
  }

  /** Forgets the draft at once: its message was sent. */
  clear(key: DraftKey): void {
    const storageKey = this.keyOf(key);
    const previous = this.pending.get(storageKey);
    if (previous) this.timers.clearTimeout(previous.handle);
    this.pending.set(storageKey, { text: "", handle: null });
    this.write(storageKey);
    this.changed();
  }

  /** Writes every waiting draft now: the composer goes away, or the page does. */
  flush(): void {
    for (const [storageKey, { handle }] of this.pending) {
      this.timers.clearTimeout(handle);
      this.write(storageKey);
    }
  }

  /**
   * Removes every draft of this person from this tab and from storage: they are signing out, and what
   * they typed must not stay on a shared computer for the next person.
   */
  forgetAll(): void {
    for (const { handle } of this.pending.values()) this.timers.clearTimeout(handle);
    this.pending.clear();
    const prefix = prefixOf(this.userId);
    const keys = Array.from({ length: this.storage.length }, (_, i) => this.storage.key(i));
    for (const storageKey of keys) {
      if (!storageKey?.startsWith(prefix)) continue;
      try {
        this.storage.removeItem(storageKey);
      } catch {
        // Storage that cannot be written holds nothing this tab wrote.
      }
    }
    this.changed();
  }

  /** The conversations with a draft of their own (thread drafts aside), from this tab and every other. */
  draftedConversations(): ReadonlySet<string> {
    if (this.drafted) return this.drafted;
    const drafted = new Set<string>();
    const prefix = prefixOf(this.userId);
    for (let i = 0; i < this.storage.length; i++) {
      const storageKey = this.storage.key(i);
      if (storageKey?.startsWith(prefix) && this.isConversationKey(storageKey) && this.read(storageKey) !== "") {
        drafted.add(storageKey.slice(prefix.length));
      }
    }
    for (const [storageKey, { text }] of this.pending) {
      if (!this.isConversationKey(storageKey)) continue;
      const id = storageKey.slice(prefix.length);
      if (text === "") drafted.delete(id);
      else drafted.add(id);
    }
    this.drafted = drafted;
    return drafted;
  }

  /** Hears a change of storage (another tab's `storage` event); `null` is storage cleared whole. */
  storageChanged(storageKey: string | null): void {
    if (storageKey === null || storageKey.startsWith(prefixOf(this.userId))) this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private keyOf({ conversationId, threadRootSeq }: DraftKey): string {
    return prefixOf(this.userId) + conversationId + (threadRootSeq === undefined ? "" : `.${threadRootSeq}`);
  }

  private isConversationKey(storageKey: string): boolean {
    return !storageKey.slice(prefixOf(this.userId).length).includes(".");
  }

  private read(storageKey: string): string {
    try {
      return this.storage.getItem(storageKey) ?? "";
    } catch {
      return "";
    }
  }

  /** A full or unavailable storage keeps the draft in this tab's memory rather than failing the typing. */
  private write(storageKey: string): void {
    const entry = this.pending.get(storageKey);
    if (!entry) return;
    try {
      if (entry.text === "") this.storage.removeItem(storageKey);
      else this.storage.setItem(storageKey, entry.text);
      this.pending.delete(storageKey);
    } catch {
      entry.handle = null;
    }
  }

  private changed(): void {
    this.drafted = null;
    for (const listener of this.listeners) listener();
  }
}
