import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Preloaded (--import) into every server the benchmark measures, Parley and
 * baseline alike, so neither carries measuring code of its own. Over the IPC
 * channel it answers "probe" with memory after a forced GC (node --expose-gc)
 * and the event-loop delay since the previous probe.
 */
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on("message", (message: unknown) => {
  if (message !== "probe") return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({
    type: "probe",
    rss,
    heapUsed,
    eventLoopP99Ms: delay.percentile(99) / 1e6,
    eventLoopMaxMs: delay.max / 1e6,
  });
  delay.reset();
});
