import { AppError } from "@/server/errors";

/**
 * Runs at most `maxActive` pieces of work at once and lets at most
 * `maxWaiting` more wait their turn; past that, `run` refuses at once. What
 * waits is only the request; rows and answers exist for the active ones alone,
 * so memory stays bounded whatever a client sends.
 */
export class WorkQueue {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  get full(): boolean {
    return this.active >= this.maxActive && this.waiting.length >= this.maxWaiting;
  }

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.maxActive) this.active++;
    else if (this.waiting.length < this.maxWaiting) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else throw tooManyAtOnce();
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so `active` never drops while work waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export function tooManyAtOnce(): AppError {
  return new AppError("rate_limited", "Too many requests at once. Try again in 1 s.", { retryAfterSeconds: 1 });
}
