import DataLoader from "dataloader";

/**
 * Turns a query for many keys into a function for one key, batching like a
 * group commit: a key asked for while the database is idle for this query
 * goes out at once; keys asked for while it runs wait for it and then go out
 * together in one query. Nothing waits when the server is quiet, and under a
 * reconnect storm hundreds of handshakes share a round trip, which on a busy
 * machine costs far more than the rows it returns (docs/performance.md, S7).
 * `loadMany` returns one value per key, in the order of the keys.
 */
export function batched<K, V>(loadMany: (keys: readonly K[]) => Promise<V[]>): (key: K) => Promise<V> {
  let running: Promise<void> | null = null;
  const loader = new DataLoader<K, V>(
    (keys) => {
      const run = loadMany(keys);
      const settled = run.then(
        () => {},
        () => {},
      );
      running = settled;
      void settled.then(() => {
        if (running === settled) running = null;
      });
      return run;
    },
    {
      // Answers are never reused: a session or a membership can change between two asks.
      cache: false,
      batchScheduleFn: (dispatch) => (running ? void running.then(dispatch) : setImmediate(dispatch)),
      maxBatchSize: 1_000,
    },
  );
  return (key) => loader.load(key);
}

/** Groups rows under the keys they belong to, for loaders that return several rows per key. */
export function groupRows<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}
