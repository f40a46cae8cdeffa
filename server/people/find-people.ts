import { and, asc, ilike, isNull, or } from "drizzle-orm";
import { findPeopleInput, type DirectoryPerson } from "@/lib/protocol";
import { users } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/sessions";
import { db } from "@/server/db/client";

/** Active people whose name or email contains the search, by name: the people picker. */
export async function findPeople(_user: SessionUser, input: unknown): Promise<DirectoryPerson[]> {
  const { q, limit } = findPeopleInput.parse(input);
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db()
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(isNull(users.deactivatedAt), q ? or(ilike(users.name, pattern), ilike(users.email, pattern)) : undefined),
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(limit);
}
