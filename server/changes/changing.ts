import type { Change, ChangeData } from "@/lib/protocol";
import { db, type Tx } from "@/server/db/client";
import { publish } from "@/server/events";
import { recordChange } from "./record-change";

export type Recorder = {
  /** A change every member of the conversation sees. */
  conversation: (conversationId: string, data: ChangeData) => Promise<Change>;
  /** A change only this user's devices see. */
  user: (userId: string, data: ChangeData) => Promise<Change>;
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
    const keep = (change: Change) => {
      recorded.push(change);
      return change;
    };
    return work(tx, {
      conversation: async (id, data) => keep(await recordChange(tx, "conversation", id, data)),
      user: async (id, data) => keep(await recordChange(tx, "user", id, data)),
    });
  });
  if (recorded.length > 0) publish("changes.recorded", recorded);
  return result;
}
