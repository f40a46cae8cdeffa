/** At most one read position is sent per conversation in this long; the newest one waiting goes then. */
const READ_THROTTLE_MS = 1_000;

type Dependencies = {
  /** Sends conversation:read; resolves with where the position stands, or rejects when it could not. */
  send: (conversationId: string, seq: number) => Promise<number>;
  schedule: (task: () => void, ms: number) => () => void;
  now: () => number;
};

/**
 * Sends read positions to the server, throttled: a person reading a busy
 * conversation moves their position with every message shown, and the server
 * needs only the newest. A position that could not be sent (offline) waits
 * and goes with `resend`, after the next connect.
 */
export class ReadMarker {
  private readonly waiting = new Map<string, number>();
  private readonly lastSent = new Map<string, number>();
  private readonly timers = new Map<string, () => void>();

  constructor(private readonly deps: Dependencies) {}

  mark(conversationId: string, seq: number): void {
    if (seq <= (this.waiting.get(conversationId) ?? -1)) return;
    this.waiting.set(conversationId, seq);
    if (this.timers.has(conversationId)) return;
    const wait = (this.lastSent.get(conversationId) ?? -Infinity) + READ_THROTTLE_MS - this.deps.now();
    if (wait <= 0) return void this.sendWaiting(conversationId);
    this.timers.set(
      conversationId,
      this.deps.schedule(() => {
        this.timers.delete(conversationId);
        this.sendWaiting(conversationId);
      }, wait),
    );
  }

  resend(): void {
    for (const conversationId of [...this.waiting.keys()]) {
      if (!this.timers.has(conversationId)) this.sendWaiting(conversationId);
    }
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private sendWaiting(conversationId: string): void {
    const seq = this.waiting.get(conversationId);
    if (seq === undefined) return;
    this.lastSent.set(conversationId, this.deps.now());
    this.deps.send(conversationId, seq).then(
      () => {
        if (this.waiting.get(conversationId) === seq) this.waiting.delete(conversationId);
      },
      () => {},
    );
  }
}
