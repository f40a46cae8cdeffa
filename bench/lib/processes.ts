import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

type Probe = { rss: number; heapUsed: number; eventLoopP99Ms: number; eventLoopMaxMs: number };

export type ServerProcess = {
  name: string;
  url: string;
  pid: number;
  probe: () => Promise<Probe>;
  cpu: () => CpuClock;
  close: () => Promise<void>;
};

const root = path.resolve(import.meta.dirname, "../..");
const probeModule = path.join(root, "bench/lib/probe.ts");

/**
 * BENCH_PROFILE_DIR=dir writes a V8 CPU profile of every process a run starts
 * (servers and load workers) there, for finding where time goes.
 */
export function profileFlags(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Starts a server the benchmark measures, with the probe preloaded, and waits
 * for its "listening" line, whose first group is the port. Clients connect to
 * 127.0.0.1 on every side: a URL naming "localhost" costs each new connection
 * a DNS lookup in the client process (12% of a load worker's time in an S7
 * storm), a cost of the harness, not of the server.
 */
export async function startServer(
  name: string,
  entry: string,
  env: Record<string, string>,
  portPattern: RegExp,
): Promise<ServerProcess> {
  const args = ["--expose-gc", ...profileFlags(), "--import", "tsx", "--import", probeModule, entry];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const url = `http://127.0.0.1:${await waitForLine(child, name, portPattern)}`;
  return {
    name,
    url,
    pid: child.pid!,
    probe: () => probe(child),
    cpu: () => cpuClock(child.pid!),
    close: () => stop(child),
  };
}

function waitForLine(child: ChildProcess, name: string, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before listening:\n${output}`)));
  });
}

function probe(child: ChildProcess): Promise<Probe> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string } & Probe) => {
      if (message.type !== "probe") return;
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
    child.send("probe");
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU time a process has used, read from /proc, to report each side's share of the two cores. */
export type CpuClock = { pid: number; ticks: number; at: number };

export function cpuClock(pid: number): CpuClock {
  return { pid, ticks: processTicks(pid), at: performance.now() };
}

/** Cores used since the clock was read: 1.0 is one full core. */
export function coresSince(clock: CpuClock): number {
  const seconds = (performance.now() - clock.at) / 1000;
  return (processTicks(clock.pid) - clock.ticks) / CLOCK_TICKS / seconds;
}

const CLOCK_TICKS = 100;

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The open-file limit every process here inherits: each socket takes one descriptor on the server. */
export function openFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s+/)[3] ?? 1024);
}
