import { describe, expect, it } from "vitest";
import { FairQueue } from "@/server/rate-limit/fair-queue";

/** Work that runs until released, noting when it started. */
function jobs() {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const job = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      releases.set(name, () => resolve(name));
    });
  const release = async (name: string) => {
    releases.get(name)!();
    releases.delete(name);
    // Let the queue hand the slot on.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, job, release };
}

describe("FairQueue", () => {
  it("starts waiting work in turns across keys, so a long line delays another key by one turn", async () => {
    const queue = new FairQueue({ active: 1, activePerKey: 1, waitingPerKey: 10 });
    const { started, job, release } = jobs();
    const runs = ["a1", "a2", "a3", "a4"].map((name) => queue.run("alice", job(name)));
    runs.push(queue.run("bob", job("b1")));
    await release("a1");
    expect(started).toEqual(["a1", "b1"]);
    await release("b1");
    await release("a2");
    await release("a3");
    await release("a4");
    expect(started).toEqual(["a1", "b1", "a2", "a3", "a4"]);
    expect(await Promise.all(runs)).toEqual(["a1", "a2", "a3", "a4", "b1"]);
    expect(queue.idle).toBe(true);
  });

  it("keeps slots free for other keys while one key has as many running as it may", async () => {
    const queue = new FairQueue({ active: 4, activePerKey: 2, waitingPerKey: 10 });
    const { started, job, release } = jobs();
    const alice = ["a1", "a2", "a3", "a4"].map((name) => queue.run("alice", job(name)));
    const bob = queue.run("bob", job("b1"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["a1", "a2", "b1"]);
    await release("b1");
    expect(started).toEqual(["a1", "a2", "b1"]);
    await release("a1");
    expect(started).toEqual(["a1", "a2", "b1", "a3"]);
    for (const name of ["a2", "a3", "a4"]) await release(name);
    await Promise.all([...alice, bob]);
    expect(queue.idle).toBe(true);
  });

  it("refuses a key whose line is full at once, and no one else", async () => {
    const queue = new FairQueue({ active: 1, activePerKey: 1, waitingPerKey: 1 });
    const { job, release } = jobs();
    const first = queue.run("alice", job("a1"));
    const waiting = queue.run("alice", job("a2"));
    await expect(queue.run("alice", job("a3"))).rejects.toMatchObject({ code: "rate_limited" });
    const bob = queue.run("bob", job("b1"));
    await release("a1");
    await release("b1");
    await release("a2");
    expect(await Promise.all([first, waiting, bob])).toEqual(["a1", "a2", "b1"]);
  });

  it("frees the slot when work fails", async () => {
    const queue = new FairQueue({ active: 1, activePerKey: 1, waitingPerKey: 0 });
    await expect(queue.run("alice", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(queue.run("alice", () => Promise.resolve(1))).resolves.toBe(1);
    expect(queue.idle).toBe(true);
  });
});
