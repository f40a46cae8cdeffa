"use client";

import { useEffect, useState } from "react";

/** Whether `element` shows, at least in part: inside the window and not scrolled out of its scrolling parents. */
export function useOnScreen(element: Element | null): boolean {
  // Kept with the element it is about, so that a new element is not shown until it has been observed.
  const [seen, setSeen] = useState<{ element: Element; shown: boolean } | null>(null);
  useEffect(() => {
    if (!element) return;
    const observer = new IntersectionObserver(([entry]) => setSeen({ element, shown: entry?.isIntersecting ?? false }));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return seen !== null && seen.element === element && seen.shown;
}
