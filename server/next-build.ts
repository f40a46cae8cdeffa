import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const sourceDirs = ["app", "components", "lib", "server", "drizzle"];
const sourceFiles = ["next.config.mjs", "package.json"];

/**
 * Runs `next build` when there is no production build, or when a source file
 * changed after it, so `npm start` and the tests never serve stale code.
 */
export function ensureNextBuild(root = process.cwd()): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId) && newestSource(root) <= statSync(buildId).mtimeMs) return;
  console.log("Building Parley (next build)...");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
}

function newestSource(root: string): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) {
      for (const child of readdirSync(entry)) visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const name of [...sourceDirs, ...sourceFiles]) visit(path.join(root, name));
  return newest;
}
