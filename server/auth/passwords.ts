import { hash, verify } from "@node-rs/argon2";

// Algorithm 2 is argon2id; the defaults follow OWASP's minimums (19 MiB, 2 passes).
const options = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
