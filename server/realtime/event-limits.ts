import { setTimeout as sleep } from "node:timers/promises";
import { getConfig } from "@/server/config";
import { AppError } from "@/server/errors";
import type { RateLimiter } from "@/server/rate-limit/rate-limiter";
import { userMarks, userWrites } from "@/server/rate-limit/user-writes";
import { TokenBucket } from "./token-bucket";
import type { ParleySocket } from "./types";
import { runUserRead, userReadsFull } from "@/server/rate-limit/user-reads";
import { tooManyAtOnce, WorkQueue } from "@/server/rate-limit/work-queue";

/** How a client event is bounded; every event in handle-events.ts names one. */
export type EventLimit = {
  /** Runs an answered request within the limit, or throws AppError("rate_limited") at once. */
  run: <T>(socket: ParleySocket, work: () => Promise<T>) => Promise<T>;
  /** Counts a request sent without an ack, which the server drops unanswered. */
  count: (socket: ParleySocket) => void;
};

/** A socket may burst to this many seconds' worth of its sustained rate. */
const BURST_SECONDS = 10;

/**
 * A limit by rate: per socket, a token bucket in memory (`perSecond`, bursts of
 * ten seconds' worth): it costs no I/O, and a client that sends one at a time
 * and waits for each answer is slowed rather than refused. Per user, a count
 * shared by all their sockets (and HTTP requests), on every process.
 */
function rated(perSecond: () => number, perUser: () => RateLimiter): EventLimit {
  const buckets = new WeakMap<ParleySocket, TokenBucket>();
  const bucketOf = (socket: ParleySocket) => {
    let bucket = buckets.get(socket);
    if (!bucket) {
      bucket = new TokenBucket(perSecond() * BURST_SECONDS, perSecond());
      buckets.set(socket, bucket);
    }
    return bucket;
  };
  return {
    run: async (socket, work) => {
      const bucket = bucketOf(socket);
      const wait = bucket.reserve();
      if (wait === null) {
        const seconds = bucket.secondsUntilFree();
        throw new AppError("rate_limited", `You are sending too fast. Try again in ${seconds} s.`, {
          retryAfterSeconds: seconds,
        });
      }
      if (wait > 0) await sleep(wait);
      await perUser().consume(socket.data.user.id);
      return work();
    },
    count: (socket) => bucketOf(socket).drain(),
  };
}

/**
 * Events that store something (SOCKET_WRITES_PER_SECOND, default 3 a second,
 * bursts of 30). The per-user count, `userWrites`, is shared with HTTP writes:
 * one Redis round trip per write when REDIS_URL is set (about 0.09 ms and
 * 24 µs of CPU measured locally).
 */
export const writes: EventLimit = rated(() => getConfig().socketWritesPerSecond, userWrites);

/**
 * Events that move a position the person holds (read positions): each
 * replaces the last, the client throttles them to one a second per
 * conversation, and they have buckets of their own at twice the write rate,
 * so that marking what was read never takes a message's turn.
 */
export const marks: EventLimit = rated(() => 2 * getConfig().socketWritesPerSecond, userMarks);

/**
 * Opens the shared counters before the first write: until its Redis connection
 * is ready a process counts on its own, and a user's first burst, spread over
 * processes, would pass them all.
 */
export function openSharedLimits(): void {
  userWrites();
  userMarks();
}

const READS_ACTIVE_PER_SOCKET = 4;
const READS_WAITING_PER_SOCKET = 32;

const socketReads = new WeakMap<ParleySocket, WorkQueue>();

/**
 * Events that read (history pages, up to 1 MB of text each). Bounded by how
 * many run and wait at once, per socket here and per person across sockets
 * and HTTP (`runUserRead`), in this process: it is this process's memory they
 * fill, and a catch-up after a reconnect asks for a page of every
 * conversation at once, which a rate would refuse. Reads sent without an ack
 * do no work, so there is nothing to count.
 */
export const reads: EventLimit = {
  run: async (socket, work) => {
    const userId = socket.data.user.id;
    const own = socketReadQueue(socket);
    if (own.full || userReadsFull(userId)) throw tooManyAtOnce();
    return own.run(() => runUserRead(userId, work));
  },
  count: () => {},
};

function socketReadQueue(socket: ParleySocket): WorkQueue {
  let queue = socketReads.get(socket);
  if (!queue) {
    queue = new WorkQueue(READS_ACTIVE_PER_SOCKET, READS_WAITING_PER_SOCKET);
    socketReads.set(socket, queue);
  }
  return queue;
}
