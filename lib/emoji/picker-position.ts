type Rect = { top: number; bottom: number; left: number; right: number };
type Size = { width: number; height: number };

/** Between the popover and its button, and between the popover and the window's edges. */
const GAP = 6;
const MARGIN = 8;

/**
 * Where a popover of size goes beside the button at anchor, in window coordinates: below the button when it
 * fits there, else above, else on the side with more room; its right edge on the button's (the add-reaction
 * and composer buttons sit at the right), moved in so that it never leaves the window.
 */
export function placePopover(anchor: Rect, size: Size, window: Size): { top: number; left: number } {
  const below = anchor.bottom + GAP;
  const above = anchor.top - GAP - size.height;
  const fitsBelow = below + size.height <= window.height - MARGIN;
  const fitsAbove = above >= MARGIN;
  const roomBelow = window.height - anchor.bottom;
  const top = fitsBelow || (!fitsAbove && roomBelow >= anchor.top) ? below : above;
  return {
    top: clamp(top, MARGIN, window.height - MARGIN - size.height),
    left: clamp(anchor.right - size.width, MARGIN, window.width - MARGIN - size.width),
  };
}

/** value kept between min and max; min wins when the popover is larger than the window. */
function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}
