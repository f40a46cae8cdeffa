import { describe, expect, it } from "vitest";
import { isSignedOut, reconnectDelay } from "@/lib/client/reconnect";

describe("reconnectDelay", () => {
  it("doubles from half a second, between half its step and its step", () => {
    expect([0, 1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, () => 0))).toEqual([250, 500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, () => 1))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it("spreads clients that fail together across the upper half of the step", () => {
    const delays = [0, 0.25, 0.5, 0.75, 0.999].map((r) => reconnectDelay(3, () => r));
    expect(delays).toEqual([2000, 2500, 3000, 3500, 3998]);
  });

  it("never waits more than 10 s, however many attempts failed", () => {
    for (const attempt of [5, 6, 10, 50, 1000]) {
      expect(reconnectDelay(attempt, () => 1)).toBe(10_000);
      expect(reconnectDelay(attempt, () => 0)).toBe(5_000);
    }
  });
});

describe("isSignedOut", () => {
  const refused = (data: unknown) => Object.assign(new Error("refused"), { data });

  it("is true only for a handshake refused as unauthorized", () => {
    expect(isSignedOut(refused({ code: "unauthorized", message: "Sign in to continue" }))).toBe(true);
  });

  it("is false for server trouble and for failures on the way, which are retried", () => {
    expect(isSignedOut(refused({ code: "internal", message: "try again" }))).toBe(false);
    expect(isSignedOut(new Error("websocket error"))).toBe(false);
    expect(isSignedOut(new Error("timeout"))).toBe(false);
    expect(isSignedOut(refused("unauthorized"))).toBe(false);
  });
});
