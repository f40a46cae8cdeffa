import { describe, expect, it } from "vitest";
import { placePopover } from "@/lib/emoji/picker-position";

const size = { width: 340, height: 420 };
const window = { width: 1280, height: 800 };
const button = (top: number, left: number) => ({ top, bottom: top + 28, left, right: left + 28 });

describe("placePopover", () => {
  it("goes below the button, right edges aligned, when it fits", () => {
    expect(placePopover(button(100, 900), size, window)).toEqual({ top: 134, left: 928 - 340 });
  });

  it("goes above the button when there is no room below", () => {
    expect(placePopover(button(700, 900), size, window)).toEqual({ top: 700 - 6 - 420, left: 928 - 340 });
  });

  it("takes the side with more room, kept inside the window, when it fits neither", () => {
    const short = { width: 1280, height: 500 };
    expect(placePopover(button(100, 900), size, short)).toEqual({ top: 500 - 8 - 420, left: 588 });
    expect(placePopover(button(400, 900), size, short)).toEqual({ top: 8, left: 588 });
  });

  it("moves in from the left edge for a button near it", () => {
    expect(placePopover(button(100, 10), size, window).left).toBe(8);
  });

  it("stays at the top left margin when the window is smaller than the popover", () => {
    expect(placePopover(button(100, 100), size, { width: 300, height: 300 })).toEqual({ top: 8, left: 8 });
  });
});
