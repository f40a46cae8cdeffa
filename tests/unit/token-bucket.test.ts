import { describe, expect, it } from "vitest";
import { TokenBucket } from "@/server/realtime/token-bucket";

describe("TokenBucket", () => {
  it("gives the burst at once, then makes one request at a time wait for the next token", () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([0, 0, 0]);
    expect(bucket.reserve(0)).toBe(500);
    // Another request while that one waits is refused, with the seconds until the bucket is free again.
    expect(bucket.reserve(0)).toBeNull();
    expect(bucket.secondsUntilFree(0)).toBe(1);
    expect(bucket.reserve(500)).toBe(500);
  });

  it("refills at the sustained rate up to the burst", () => {
    const bucket = new TokenBucket(2, 1, 0);
    bucket.reserve(0);
    bucket.reserve(0);
    expect(bucket.reserve(60_000)).toBe(0);
    expect(bucket.reserve(60_000)).toBe(0);
    expect(bucket.reserve(60_000)).toBe(1_000);
  });

  it("lets dropped requests empty the bucket but never put it in debt", () => {
    const bucket = new TokenBucket(30, 3, 0);
    for (let i = 0; i < 1_000; i++) bucket.drain(0);
    expect(bucket.reserve(0)).toBeCloseTo(1_000 / 3);
  });
});
