import DataLoader from "dataloader";

/**
 * Turns a query for many keys into a function for one key, batching like a
 * group commit: while none of this query's batches is running, a key goes out
 * at once (in the next turn of the event loop, with the keys of the same
 * turn); otherwise keys wait until it finishes and then go out together in
 * one query. Nothing waits when the server is quiet, and under a reconnect
 * storm hundreds of handshakes share a round trip, which on a busy machine
 * costs far more than the rows it returns (docs/performance.md, S7).
 * `inFlight` lets that many batches run at once; more than one pays only where
 * they share one pipelined connection (sends; on separate connections two or
 * four measured slower, S4). `loadMany` returns one value per key, in the
 * order of the keys; an Error in its place rejects that key's promise alone.
 */
export function batched<K, V>(
  loadMany: (keys: readonly K[]) => Promise<(V | Error)[]>,
  { inFlight = 1 }: { inFlight?: number } = {},
): (key: K) => Promise<V> {
  let running = 0;
  // Batches past maxBatchSize queue up here too.
  const waiting: (() => void)[] = [];
  const finished = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const loader = new DataLoader<K, V>(
    async (keys) => {
      try {
        return await loadMany(keys);
      } finally {
        finished();
      }
    },
    {
      // Answers are never reused: a session or a membership can change between two asks.
      cache: false,
      batchScheduleFn: (dispatch) => {
        if (running >= inFlight) return void waiting.push(dispatch);
        running++;
        setImmediate(dispatch);
      },
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
