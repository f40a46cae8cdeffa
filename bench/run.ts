import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureNextBuild } from "@/server/next-build";
import type { BenchContext } from "./lib/context";
import type { Row } from "./lib/targets";
import { idleCapacity } from "./scenarios/s1-idle-capacity";
import { fanOut } from "./scenarios/s2-fan-out";
import { steadyState } from "./scenarios/s3-steady-state";
import { writePath } from "./scenarios/s4-write-path";
import { history } from "./scenarios/s5-history";
import { twoProcesses } from "./scenarios/s6-two-processes";
import { reconnectStorm } from "./scenarios/s7-reconnect-storm";
import { pglite } from "./scenarios/s8-pglite";
import { sidebar } from "./scenarios/s9-sidebar";
import { storms } from "./scenarios/s10-storms";

/**
 * `npm run bench [-- --quick] [-- --only=S1,S4]`: runs every scenario against
 * its baseline (the bare Socket.IO server, or the raw SQL) and against Parley,
 * prints a table and writes bench/results/<time>.json.
 */
const scenarios: Record<string, (ctx: BenchContext) => Promise<Row[]>> = {
  S1: idleCapacity,
  S2: fanOut,
  S3: steadyState,
  S4: writePath,
  S5: history,
  S6: twoProcesses,
  S7: reconnectStorm,
  S8: pglite,
  S9: sidebar,
  S10: storms,
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const only = onlyArg ? new Set(onlyArg.toUpperCase().split(",")) : null;
const ctx: BenchContext = { quick, log: (line) => console.log(line) };

ensureNextBuild();
const started = Date.now();
const rows: Row[] = [];
for (const [name, run] of Object.entries(scenarios)) {
  if (only && !only.has(name)) continue;
  console.log(`\n${name}${quick ? " (quick)" : ""}`);
  const t0 = Date.now();
  rows.push(...(await run(ctx)));
  console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

printTable(rows);
const dir = path.resolve(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`);
writeFileSync(file, JSON.stringify({ quick, seconds: (Date.now() - started) / 1000, rows }, null, 2));
console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
const failed = rows.filter((r) => r.pass === false);
console.log(`Targets: ${rows.filter((r) => r.pass === true).length} met, ${failed.length} missed`);
process.exit(0);

function printTable(all: Row[]): void {
  const fmt = (n: number | null) => (n === null ? "" : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
  const lines = all.map((r) => [
    r.scenario,
    r.metric,
    r.unit,
    fmt(r.baseline),
    fmt(r.parley),
    r.ratio === null ? "" : `${r.ratio.toFixed(2)}x`,
    r.target,
    r.pass === null ? "" : r.pass ? "met" : "MISSED",
  ]);
  const header = ["scenario", "metric", "unit", "baseline", "parley", "ratio", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const show = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(`\n${show(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const line of lines) console.log(show(line));
}
