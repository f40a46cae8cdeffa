import type { Change, ChangeData } from "@/lib/protocol";
import { db, type Db, type Tx } from "@/server/db/client";
import { publish } from "@/server/events";
import { stageChange, storeChanges, type Recording } from "./record-change";

export type Recorder = {
  /** A change every member of the conversation sees. */
  conversation: (conversationId: string, data: ChangeData) => void;
  /** A change only this user's devices see. */
  user: (userId: string, data: ChangeData) => void;
  /** Changes of several people's streams at once, each seen by that person's devices only. */
  users: (changes: { userId: string; data: ChangeData }[]) => void;
};

/**
 * Runs a transaction that changes existing state, records each change in the
 * feed, and publishes them once it has committed (never when it rolls back):
 * publishing is tied to the transaction, not left to each caller.
 */
export async function changing<T>(work: (tx: Tx, record: Recorder) => Promise<T>): Promise<T> {
  const { result, recorded } = await inChangeTransaction(db(), work);
  if (recorded.length > 0) publish("changes.recorded", recorded);
  return result;
}

/**
 * The transaction of `changing`, publishing nothing. What `work` records is checked at once and stored
 * when it is done, with the commit (`storeChanges`).
 */
export async function inChangeTransaction<T>(
  database: Db,
  work: (tx: Tx, record: Recorder) => Promise<T>,
): Promise<{ result: T; recorded: Change[] }> {
  let recorded: Change[] = [];
  const result = await database.transaction(async (tx) => {
    const staged: Recording[] = [];
    const stage = (scope: Change["scope"], streamId: string, data: ChangeData) =>
      staged.push(stageChange({ scope, streamId, data }));
    const value = await work(tx, {
      conversation: (id, data) => stage("conversation", id, data),
      user: (id, data) => stage("user", id, data),
      users: (changes) => changes.forEach(({ userId, data }) => stage("user", userId, data)),
    });
    recorded = staged.length > 0 ? await storeChanges(tx, staged) : [];
    return value;
  });
  return { result, recorded };
}
