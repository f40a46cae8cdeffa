import type { Change, ChangeData } from "@/lib/protocol";
import { db, type Tx } from "@/server/db/client";
import { publish } from "@/server/events";
import { recordChanges } from "./record-change";

export type Recorder = {
  /** A change every member of the conversation sees. */
  conversation: (conversationId: string, data: ChangeData) => Promise<Change>;
  /** A change only this user's devices see. */
  user: (userId: string, data: ChangeData) => Promise<Change>;
  /** Changes of several people's streams at once, each seen by that person's devices only. */
  users: (changes: { userId: string; data: ChangeData }[]) => Promise<Change[]>;
};

/**
 * Runs a transaction that changes existing state, records each change in the
 * feed, and publishes them once it has committed (never when it rolls back):
 * publishing is tied to the transaction, not left to each caller.
 */
export async function changing<T>(work: (tx: Tx, record: Recorder) => Promise<T>): Promise<T> {
  let recorded: Change[] = [];
  const result = await db().transaction(async (tx) => {
    recorded = [];
    return work(
      tx,
      recorder(tx, (changes) => recorded.push(...changes)),
    );
  });
  if (recorded.length > 0) publish("changes.recorded", recorded);
  return result;
}

/** Records changes in the transaction, and hands each batch recorded to `kept`. */
export function recorder(tx: Tx, kept: (changes: Change[]) => void = () => {}): Recorder {
  const keep = (changes: Change[]) => {
    kept(changes);
    return changes;
  };
  const one = async (scope: Change["scope"], streamId: string, data: ChangeData) =>
    (keep(await recordChanges(tx, scope, [{ streamId, data }])) as [Change])[0];
  return {
    conversation: (id, data) => one("conversation", id, data),
    user: (id, data) => one("user", id, data),
    users: async (changes) =>
      keep(
        await recordChanges(
          tx,
          "user",
          changes.map(({ userId, data }) => ({ streamId: userId, data })),
        ),
      ),
  };
}
