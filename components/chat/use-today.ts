"use client";

import { useEffect, useState } from "react";
import { untilNextDay } from "@/lib/client/day-dividers";

/** The current moment, renewed at each local midnight: what "Today" and "Yesterday" are counted from. */
export function useToday(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setTimeout(() => setNow(new Date()), untilNextDay(now) + 1000);
    return () => window.clearTimeout(timer);
  }, [now]);
  return now;
}
