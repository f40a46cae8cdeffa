import { describe, expect, it } from "vitest";
import { dayLabel, localDay, untilNextDay } from "@/lib/client/day-dividers";

/** A moment in the local time zone, whatever zone the tests run in. */
const local = (year: number, month: number, day: number, hour = 12, minute = 0) =>
  new Date(year, month - 1, day, hour, minute);
const iso = (...parts: Parameters<typeof local>) => local(...parts).toISOString();

describe("localDay", () => {
  it("is the reader's calendar day, not UTC's", () => {
    expect(localDay(iso(2026, 12, 1, 0, 5))).toBe("2026-12-01");
    expect(localDay(iso(2026, 12, 1, 23, 55))).toBe("2026-12-01");
    expect(localDay(local(2027, 1, 9))).toBe("2027-01-09");
  });
});

describe("dayLabel", () => {
  const now = local(2026, 12, 7, 9, 30);

  it("says Today and Yesterday by calendar day, not by 24 hours", () => {
    expect(dayLabel(iso(2026, 12, 7, 0, 1), now, "en-US")).toBe("Today");
    expect(dayLabel(iso(2026, 12, 7, 23, 59), now, "en-US")).toBe("Today");
    expect(dayLabel(iso(2026, 12, 6, 23, 59), now, "en-US")).toBe("Yesterday");
    expect(dayLabel(iso(2026, 12, 6, 0, 0), now, "en-US")).toBe("Yesterday");
    expect(dayLabel(iso(2026, 12, 5, 23, 59), now, "en-US")).toBe("Saturday, December 5");
  });

  it("names older days by weekday and date, with the year only when it is not this one", () => {
    expect(dayLabel(iso(2026, 12, 1), now, "en-US")).toBe("Tuesday, December 1");
    expect(dayLabel(iso(2025, 12, 1), now, "en-US")).toBe("Monday, December 1, 2025");
  });

  it("finds yesterday across a month and a year", () => {
    expect(dayLabel(iso(2026, 12, 31, 22), local(2027, 1, 1, 8), "en-US")).toBe("Yesterday");
    expect(dayLabel(iso(2026, 12, 30, 22), local(2027, 1, 1, 8), "en-US")).toBe("Wednesday, December 30, 2026");
  });
});

describe("untilNextDay", () => {
  it("counts to the next local midnight", () => {
    expect(untilNextDay(local(2026, 12, 7, 23, 30))).toBe(30 * 60 * 1000);
    expect(untilNextDay(local(2026, 12, 7, 0, 0))).toBe(24 * 60 * 60 * 1000);
  });
});
