import { describe, expect, it } from "vitest";
import { WorkQueue } from "@/server/rate-limit/work-queue";

describe("WorkQueue", () => {
  it("runs up to maxActive at once, queues up to maxWaiting and refuses the rest at once", async () => {
    const queue = new WorkQueue(2, 1);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<string>((resolve) => {
        peak = Math.max(peak, ++running);
        releases.push(() => {
          running--;
          resolve("done");
        });
      });
    const runs = Array.from({ length: 5 }, () => queue.run(work).catch((error: { code: string }) => error.code));
    expect(queue.full).toBe(true);
    const refusals = await Promise.all(runs.slice(3));
    expect(refusals).toEqual(["rate_limited", "rate_limited"]);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(runs.slice(0, 3))).toEqual(["done", "done", "done"]);
    expect(peak).toBe(2);
    expect(queue.idle).toBe(true);
  });

  it("frees the slot when work fails", async () => {
    const queue = new WorkQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(queue.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
