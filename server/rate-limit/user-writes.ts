import { getConfig } from "@/server/config";
import { rateLimiter, type RateLimiter } from "./rate-limiter";

/** A user's sockets and HTTP requests together, on every process, may write this many seconds' worth per window. */
const USER_WRITE_SECONDS = 40;
const USER_WRITE_WINDOW_SECONDS = 10;

let limiter: RateLimiter | undefined;
let marks: RateLimiter | undefined;

/**
 * Every write a person makes, over a socket event or an HTTP request, spends
 * from one count per user, kept in Redis when REDIS_URL is set, so that more
 * sockets, sessions, processes or a switch to HTTP do not multiply the rate.
 */
export function userWrites(): RateLimiter {
  limiter ??= rateLimiter({
    name: "user-writes",
    points: Math.ceil(getConfig().socketWritesPerSecond * USER_WRITE_SECONDS),
    windowSeconds: USER_WRITE_WINDOW_SECONDS,
    message: "You are making changes too fast.",
  });
  return limiter;
}

/** Read positions: twice the writes, counted apart, so that they never spend from `userWrites`. */
export function userMarks(): RateLimiter {
  marks ??= rateLimiter({
    name: "user-marks",
    points: 2 * Math.ceil(getConfig().socketWritesPerSecond * USER_WRITE_SECONDS),
    windowSeconds: USER_WRITE_WINDOW_SECONDS,
    message: "You are marking conversations read too fast.",
  });
  return marks;
}
