/**
 * Counts the statements a PostgreSQL client runs, from the bytes it sends (for `startTcpProxy`'s tap):
 * each Execute of the extended protocol and each simple Query is one. A connection opens with its
 * startup message, which has no type byte; every later message is a type byte, then its length.
 */
export function statementCounter(): { readonly count: number; tap: () => (chunk: Buffer) => void } {
  let count = 0;
  const EXECUTE = 0x45; // "E"
  const QUERY = 0x51; // "Q"
  return {
    get count() {
      return count;
    },
    tap: () => {
      let pending = Buffer.alloc(0);
      let started = false;
      return (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          const header = started ? 5 : 4;
          if (pending.length < header) return;
          const length = started ? 1 + pending.readInt32BE(1) : pending.readInt32BE(0);
          if (pending.length < length) return;
          if (started && (pending[0] === EXECUTE || pending[0] === QUERY)) count += 1;
          pending = pending.subarray(length);
          started = true;
        }
      };
    },
  };
}
