import { tooManyAtOnce } from "./work-queue";

export type FairQueueLimits = {
  /** Work running at once, for every key together. */
  active: number;
  /** Work running at once for one key: the rest of `active` stays free for the others. */
  activePerKey: number;
  /** Work one key may have waiting; past that, `run` refuses that key at once. */
  waitingPerKey: number;
};

/**
 * A WorkQueue shared by many keys (people), fair between them: waiting work
 * starts in turns across keys, one piece per key per turn, and no key runs more
 * than `activePerKey` at once. Someone with a long line of slow work delays
 * another person's work by at most one turn of each key waiting, and a full
 * line refuses only its own key.
 */
export class FairQueue {
  private active = 0;
  private readonly activeByKey = new Map<string, number>();
  /** Each key's waiting work, in turn order: a key that just had a turn or just finished goes to the back. */
  private readonly lines = new Map<string, (() => void)[]>();

  constructor(private readonly limits: FairQueueLimits) {}

  get idle(): boolean {
    return this.active === 0 && this.lines.size === 0;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (!this.lines.has(key) && this.mayStart(key)) this.start(key);
    else await this.wait(key);
    try {
      return await work();
    } finally {
      this.finish(key);
      this.startNext();
    }
  }

  private mayStart(key: string): boolean {
    return this.active < this.limits.active && (this.activeByKey.get(key) ?? 0) < this.limits.activePerKey;
  }

  private start(key: string): void {
    this.active++;
    this.activeByKey.set(key, (this.activeByKey.get(key) ?? 0) + 1);
  }

  /** A key whose work just ended waits behind the others for its next turn. */
  private finish(key: string): void {
    this.active--;
    const left = (this.activeByKey.get(key) ?? 1) - 1;
    if (left === 0) this.activeByKey.delete(key);
    else this.activeByKey.set(key, left);
    const line = this.lines.get(key);
    if (line) {
      this.lines.delete(key);
      this.lines.set(key, line);
    }
  }

  private wait(key: string): Promise<void> {
    const line = this.lines.get(key) ?? [];
    if (line.length >= this.limits.waitingPerKey) return Promise.reject(tooManyAtOnce());
    this.lines.set(key, line);
    return new Promise<void>((resolve) => line.push(resolve));
  }

  /** Starts the waiting work of the first key in turn that may run more. */
  private startNext(): void {
    for (const [key, line] of this.lines) {
      if (!this.mayStart(key)) continue;
      this.start(key);
      this.lines.delete(key);
      const next = line.shift()!;
      if (line.length > 0) this.lines.set(key, line);
      return next();
    }
  }
}
