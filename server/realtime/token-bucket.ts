/**
 * A token bucket in process memory: no I/O on the hot path. It holds up to
 * `burst` tokens and gains `perSecond` of them a second. A request that finds
 * it empty may reserve the next token and wait for it, as long as no other
 * request waits already: a client that sends one at a time and waits for each
 * answer (the outbox) is slowed to the sustained rate rather than refused,
 * while requests sent side by side past the burst are refused at once.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now = performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes a token: the milliseconds to wait for it (0: at once), or null when another request waits already. */
  reserve(now = performance.now()): number | null {
    this.refill(now);
    if (this.tokens < 0) return null;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }

  /** Spends a token without waiting, never below empty: for requests that are dropped unanswered. */
  drain(now = performance.now()): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, Math.max(this.tokens - 1, 0));
  }

  /** Whole seconds until a reservation would be accepted again (at least 1). */
  secondsUntilFree(now = performance.now()): number {
    this.refill(now);
    return Math.max(1, Math.ceil(-this.tokens / this.perSecond));
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}
