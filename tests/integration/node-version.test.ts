import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REQUIRED_NODE_MAJOR } from "@/server/require-node";
import { repoRoot } from "../helpers/server";

/** Debian's own Node (20 on these machines), when it is older than the one Parley needs. */
const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((candidate) => {
  if (!existsSync(candidate)) return false;
  const version = spawnSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout;
  return Number(version.split(".")[0]) < REQUIRED_NODE_MAJOR;
});

describe("the Node.js version", () => {
  it("is the one package.json's engines names", () => {
    const { engines } = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      engines: { node: string };
    };
    expect(engines.node).toBe(`>=${REQUIRED_NODE_MAJOR}`);
  });

  it.skipIf(!oldNode)("is checked before npm start does anything, with a way to get it", () => {
    const result = spawnSync(oldNode!, ["--import", "tsx", "server/start.ts"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, PORT: "0", DATA_DIR: path.join(repoRoot, "test-data", "old-node") },
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Parley needs Node.js ${REQUIRED_NODE_MAJOR} or newer`);
    expect(result.stderr).toContain(`nvm install ${REQUIRED_NODE_MAJOR}`);
    expect(result.stdout).not.toContain("Building Parley");
    expect(existsSync(path.join(repoRoot, "test-data", "old-node"))).toBe(false);
  });
});
