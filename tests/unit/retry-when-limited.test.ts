import { describe, expect, it } from "vitest";
import { ApiError, retryWhenLimited } from "@/lib/client/api";

describe("retryWhenLimited", () => {
  it("reads again after the wait the server names, until it answers", async () => {
    const waits: number[] = [];
    let calls = 0;
    const page = await retryWhenLimited(
      async () => {
        calls++;
        if (calls < 3) throw new ApiError("rate_limited", "Too many at once", calls);
        return "page";
      },
      async (ms) => void waits.push(ms),
    );
    expect(page).toBe("page");
    expect(waits).toEqual([1000, 2000]);
  });

  it("gives up after three retries, with the last refusal", async () => {
    let calls = 0;
    const read = retryWhenLimited(
      async () => {
        calls++;
        throw new ApiError("rate_limited", `refusal ${calls}`);
      },
      async () => {},
    );
    await expect(read).rejects.toThrow("refusal 4");
    expect(calls).toBe(4);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    const read = retryWhenLimited(
      async () => {
        calls++;
        throw new ApiError("forbidden", "Not yours");
      },
      async () => {},
    );
    await expect(read).rejects.toThrow("Not yours");
    expect(calls).toBe(1);
  });
});
