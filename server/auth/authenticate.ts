import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { signInInput } from "@/lib/protocol";
import { users } from "@/drizzle/schema";
import { db } from "@/server/db/client";
import { hashPassword, verifyPassword } from "./passwords";

/** Checks an email and password; null for any mismatch, so the reply never says which part was wrong. */
export async function authenticate(credentials: unknown): Promise<{ id: string; name: string; email: string } | null> {
  const parsed = signInInput.safeParse(credentials);
  if (!parsed.success) return null;
  const [user] = await db()
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${parsed.data.email})`)
    .limit(1);
  // Without an account to check, a hash is still checked: an answer that came faster would say the email is unknown.
  const passwordHash = user && !user.deactivatedAt ? user.passwordHash : await standInHash();
  const matches = await verifyPassword(passwordHash, parsed.data.password);
  if (!user || user.deactivatedAt || !matches) return null;
  return { id: user.id, name: user.name, email: user.email };
}

let standIn: Promise<string> | undefined;

/** A hash of a random password, made once per process with the same cost as real ones; nothing matches it. */
function standInHash(): Promise<string> {
  standIn ??= hashPassword(randomBytes(32).toString("base64url"));
  return standIn;
}
