import { tooManyAtOnce, WorkQueue } from "./work-queue";

const READS_ACTIVE_PER_USER = 8;
const READS_WAITING_PER_USER = 64;

const globalKey = Symbol.for("parley.userReads");
type GlobalWithReads = typeof globalThis & { [globalKey]?: Map<string, WorkQueue> };

/**
 * Runs a read (a history page over a socket, any GET over HTTP) within the
 * person's bound in this process: at most 8 running and 64 waiting, over all
 * their sockets, sessions and requests; past that it is refused at once with
 * rate_limited. It is this process's memory their answers fill. The queues live
 * on globalThis so that Next's route handlers and the socket handlers share them.
 */
export async function runUserRead<T>(userId: string, work: () => Promise<T>): Promise<T> {
  const queues = ((globalThis as GlobalWithReads)[globalKey] ??= new Map());
  let queue = queues.get(userId);
  if (!queue) {
    queue = new WorkQueue(READS_ACTIVE_PER_USER, READS_WAITING_PER_USER);
    queues.set(userId, queue);
  }
  // Refused here rather than by the queue, which may come from the other module copy.
  if (queue.full) throw tooManyAtOnce();
  try {
    return await queue.run(work);
  } finally {
    if (queue.idle) queues.delete(userId);
  }
}

/** True when the person's reads in this process are at their bound. */
export function userReadsFull(userId: string): boolean {
  return (globalThis as GlobalWithReads)[globalKey]?.get(userId)?.full ?? false;
}
