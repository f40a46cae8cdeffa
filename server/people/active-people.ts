import { inArray } from "drizzle-orm";
import type { Person } from "@/lib/protocol";
import { users } from "@/drizzle/schema";
import type { Db, Tx } from "@/server/db/client";
import { AppError } from "@/server/errors";

/**
 * The people with these ids, in the order given. An id nobody has gets the
 * same answer as a mistyped one, and a deactivated account says so: neither
 * can be added to a conversation.
 */
export async function activePeople(reader: Db | Tx, ids: readonly string[]): Promise<Person[]> {
  const rows = await reader
    .select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(inArray(users.id, [...ids]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new AppError("bad_request", `Unknown person: ${id}`);
    if (row.deactivatedAt) throw new AppError("bad_request", `${row.name}'s account is deactivated`);
    return { id: row.id, name: row.name };
  });
}
