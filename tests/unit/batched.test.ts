import { describe, expect, it } from "vitest";
import { batched, groupRows } from "@/server/db/batched";

/** A loadMany whose calls are recorded and answered when the test says so. */
function controlledLoader(options?: { inFlight: number }) {
  const calls: { keys: readonly number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const load = batched<number, string>(
    (keys) =>
      new Promise((resolve, reject) => {
        calls.push({ keys, finish: () => resolve(keys.map((k) => `value ${k}`)), fail: reject });
      }),
    options,
  );
  return { calls, load };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("batched", () => {
  it("sends the keys of one turn together and answers each with its own value", async () => {
    const { calls, load } = controlledLoader();
    const answers = Promise.all([load(1), load(2), load(3)]);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1, 2, 3]]);
    calls[0]!.finish();
    expect(await answers).toEqual(["value 1", "value 2", "value 3"]);
  });

  it("holds keys asked for while a query runs and sends them in one query when it ends", async () => {
    const { calls, load } = controlledLoader();
    const first = load(1);
    await turn();
    const waiting = [load(2), load(3)];
    await turn();
    const later = load(4);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1]]);
    calls[0]!.finish();
    await first;
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.finish();
    expect(await Promise.all([...waiting, later])).toEqual(["value 2", "value 3", "value 4"]);
  });

  it("sends at once again when the database is idle, and goes on after a failed query", async () => {
    const { calls, load } = controlledLoader();
    const failing = load(1);
    await turn();
    calls[0]!.fail(new Error("connection lost"));
    await expect(failing).rejects.toThrow("connection lost");
    const next = load(2);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1], [2]]);
    calls[1]!.finish();
    expect(await next).toBe("value 2");
  });

  it("runs as many queries at once as allowed, and holds the keys that come after", async () => {
    const { calls, load } = controlledLoader({ inFlight: 2 });
    const first = load(1);
    await turn();
    const second = load(2);
    await turn();
    const waiting = [load(3), load(4)];
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1], [2]]);
    calls[1]!.finish();
    expect(await second).toBe("value 2");
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1], [2], [3, 4]]);
    calls[0]!.finish();
    calls[2]!.finish();
    expect(await Promise.all([first, ...waiting])).toEqual(["value 1", "value 3", "value 4"]);
  });
});

describe("groupRows", () => {
  it("gives every key its rows, and an empty list to keys without any", () => {
    const rows = [
      { user: "b", id: 1 },
      { user: "a", id: 2 },
      { user: "b", id: 3 },
    ];
    expect(groupRows(["a", "b", "c"], rows, (r) => r.user)).toEqual([[{ user: "a", id: 2 }], [rows[0], rows[2]], []]);
  });
});
