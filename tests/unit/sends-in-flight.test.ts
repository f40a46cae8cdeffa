import { describe, expect, it } from "vitest";
import { sendsInFlight } from "@/server/messages/sends-in-flight";

const A = "conversation-a";
const B = "conversation-b";

describe("sendsInFlight", () => {
  it("settles when the next send to the conversation ends, and is undefined once none is in flight", async () => {
    const sends = sendsInFlight();
    expect(sends.nextStored(A)).toBeUndefined();
    sends.begin(A);
    sends.begin(A);
    sends.begin(B);
    const first = sends.nextStored(A)!;
    expect(sends.nextStored(A)).toBe(first);
    const ended: string[] = [];
    void first.then(() => ended.push("first of A"));
    void sends.nextStored(B)!.then(() => ended.push("B"));

    sends.end(A);
    await first;
    expect(ended).toEqual(["first of A"]);
    // The second send to A is still in flight: a new promise for it.
    const second = sends.nextStored(A)!;
    expect(second).not.toBe(first);
    sends.end(A);
    await second;
    expect(sends.nextStored(A)).toBeUndefined();
    expect(ended).toEqual(["first of A"]);
    expect(sends.nextStored(B)).toBeDefined();
  });
});
