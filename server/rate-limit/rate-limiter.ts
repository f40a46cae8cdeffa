import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getConfig } from "@/server/config";
import { AppError } from "@/server/errors";
import { redisCommands } from "./redis-client";

export type Limit = {
  /** Names the counter in Redis; unique per limit. */
  name: string;
  /** How many points a key may spend per window. */
  points: number;
  windowSeconds: number;
  /** What the refusal says, before "Try again in N s." (or "in N minutes."). */
  message: string;
};

export type RateLimiter = {
  /** Spends points for the key, or throws AppError("rate_limited") with the seconds to wait. */
  consume: (key: string, points?: number) => Promise<void>;
  /** Gives points back, e.g. after a successful sign-in. */
  reward: (key: string, points?: number) => Promise<void>;
};

/**
 * A fixed-window limit shared by every process through Redis when REDIS_URL
 * is set, and kept in this process's memory otherwise (one process then
 * serves the installation). While Redis is unreachable each process counts
 * on its own, so limits loosen by the number of processes rather than
 * failing every request. Counters live on globalThis: Next's route handlers
 * load their own copy of this module and must count with the server.
 */
export function rateLimiter(limit: Limit): RateLimiter {
  const store = limiterStore(limit);
  return {
    consume: async (key, points = 1) => {
      try {
        await store.consume(key, points);
      } catch (refusal) {
        if (!isRefusal(refusal)) throw refusal;
        const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw new AppError("rate_limited", `${limit.message} Try again in ${waitInWords(retryAfterSeconds)}.`, {
          retryAfterSeconds,
        });
      }
    },
    reward: async (key, points = 1) => {
      await store.reward(key, points);
    },
  };
}

function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

const globalKey = Symbol.for("parley.rateLimiters");
type GlobalWithLimiters = typeof globalThis & { [globalKey]?: Map<string, RateLimiterAbstract> };

function limiterStore(limit: Limit): RateLimiterAbstract {
  const g = globalThis as GlobalWithLimiters;
  const stores = (g[globalKey] ??= new Map());
  let store = stores.get(limit.name);
  if (!store) {
    store = createStore(limit);
    stores.set(limit.name, store);
  }
  return store;
}

function createStore({ name, points, windowSeconds }: Limit): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: windowSeconds });
  const redis = redisCommands();
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
    keyPrefix: `${installationPrefix()}:${name}`,
    points,
    duration: windowSeconds,
  });
}

/**
 * Installations (and test servers) sharing one Redis must not share counters:
 * the prefix is derived from the auth secret, which all processes of one
 * installation share and no other installation has.
 */
function installationPrefix(): string {
  const digest = createHash("sha256").update(getConfig().authSecret).digest("hex").slice(0, 12);
  return `parley:rl:${digest}`;
}

/**
 * The store rejects with a RateLimiterRes when the points are spent. Not tested
 * with instanceof: the store may have been made by Next's bundled copy of the
 * package, whose class is another than this module's.
 */
function isRefusal(value: unknown): value is { msBeforeNext: number } {
  return typeof (value as { msBeforeNext?: unknown } | null)?.msBeforeNext === "number";
}
