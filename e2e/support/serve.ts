/**
 * The e2e web server (playwright.config.ts starts it): a fresh database every
 * run, then the production server exactly as `npm start` runs it.
 *
 * - DATA_DIR is emptied.
 * - With TEST_DATABASE_URL set, the scratch database parley_e2e on that
 *   PostgreSQL server is dropped and created anew and the server uses it;
 *   otherwise the server uses PGlite in DATA_DIR.
 *
 * Settings a developer's shell may carry for their own instance (DATABASE_URL,
 * REDIS_URL, PUBLIC_URL, NEXTAUTH_URL, ALLOWED_ORIGINS) are dropped so the tests
 * never touch it.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

const SCRATCH_DATABASE = "parley_e2e";

for (const name of ["DATABASE_URL", "REDIS_URL", "PUBLIC_URL", "NEXTAUTH_URL", "ALLOWED_ORIGINS"]) {
  delete process.env[name];
}

const dataDir = path.resolve(process.env.DATA_DIR ?? "./test-data/e2e");
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
process.env.DATA_DIR = dataDir;

const adminUrl = process.env.TEST_DATABASE_URL;
if (adminUrl) {
  process.env.DATABASE_URL = await recreateDatabase(adminUrl, SCRATCH_DATABASE);
  console.log(`e2e: fresh PostgreSQL database ${SCRATCH_DATABASE}`);
} else {
  console.log(`e2e: fresh PGlite database in ${dataDir}`);
}

await import("../../server/start");

/** Drops and creates `name` on the server of `adminUrl`, and returns its URL. */
async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // WITH (FORCE) ends sessions a previous run may have left behind (PostgreSQL 13+).
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
