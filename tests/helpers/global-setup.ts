import { ensureNextBuild } from "../../server/next-build";
import { repoRoot } from "./server";

/** Builds Next once, before any test file, so that every server the tests spawn starts from a fresh build. */
export default function setup(): void {
  ensureNextBuild(repoRoot);
}
