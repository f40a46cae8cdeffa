import { sql } from "drizzle-orm";
import { signInInput } from "@/lib/protocol";
import { users } from "@/drizzle/schema";
import { db } from "@/server/db/client";
import { verifyPassword } from "./passwords";

/** Checks an email and password; null for any mismatch, so the reply never says which part was wrong. */
export async function authenticate(credentials: unknown): Promise<{ id: string; name: string; email: string } | null> {
  const parsed = signInInput.safeParse(credentials);
  if (!parsed.success) return null;
  const [user] = await db()
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${parsed.data.email})`)
    .limit(1);
  if (!user || user.deactivatedAt) return null;
  if (!(await verifyPassword(user.passwordHash, parsed.data.password))) return null;
  return { id: user.id, name: user.name, email: user.email };
}
