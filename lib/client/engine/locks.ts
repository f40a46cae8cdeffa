/** Runs `task` while holding the lock `name`, which every tab of this origin shares. */
export type Locks = <T>(name: string, task: () => Promise<T>) => Promise<T>;

/**
 * The Web Locks API, where the browser has it. It exists only in secure contexts, and a self-hosted Parley
 * is often opened over plain http on a LAN address: there tabs may send the same pending message side by
 * side, which costs a request and nothing else, since the server stores a clientMessageId once.
 */
export function browserLocks<T>(name: string, task: () => Promise<T>): Promise<T> {
  if (typeof navigator === "undefined" || !navigator.locks) return task();
  return navigator.locks.request(name, task) as Promise<T>;
}
