import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../server/config";
import { openDatabase } from "../../server/db/client";
import { ensureNextBuild } from "../../server/next-build";
import { createScratchDatabase, repoRoot, TEMPLATE_DATA_DIR_ENV, TEMPLATE_DATABASE_ENV } from "./server";

/**
 * Builds Next once, before any test file, so that every server the tests spawn starts from a fresh build.
 * Then creates and migrates the database that fresh test databases copy (see TEMPLATE_DATABASE_ENV):
 * a scratch PostgreSQL database on TEST_DATABASE_URL when that is set, otherwise PGlite in a temporary
 * DATA_DIR. Its name or directory goes to the test files through the environment, which the workers
 * inherit. Returns the teardown that removes it after the last file.
 */
export default async function setup(): Promise<() => Promise<void>> {
  ensureNextBuild(repoRoot);
  // openDatabase migrates it with the server's own code; AUTH_SECRET only keeps loadConfig from writing one.
  const config = { AUTH_SECRET: "template".repeat(4) };
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    // A random name: two workers of this run share it, and another run on the same server gets its own.
    const template = await createScratchDatabase(base, { empty: true });
    try {
      await (await openDatabase(loadConfig({ ...config, DATABASE_URL: template.url }))).close();
    } catch (error) {
      await template.drop();
      throw error;
    }
    process.env[TEMPLATE_DATABASE_ENV] = template.name;
    return async () => {
      delete process.env[TEMPLATE_DATABASE_ENV];
      await template.drop();
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-template-"));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    // Closed again before any copy is made: PGlite flushes and releases its files on close.
    await (await openDatabase(loadConfig({ ...config, DATA_DIR: dataDir }))).close();
  } catch (error) {
    remove();
    throw error;
  }
  process.env[TEMPLATE_DATA_DIR_ENV] = dataDir;
  return async () => {
    delete process.env[TEMPLATE_DATA_DIR_ENV];
    remove();
  };
}
