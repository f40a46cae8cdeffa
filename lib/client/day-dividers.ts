/** The local calendar day of a moment, as "2026-12-01": messages of different days have a divider between them. */
export function localDay(at: string | Date): string {
  const date = typeof at === "string" ? new Date(at) : at;
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/**
 * What a day divider says for the day of `at`, seen at `now`: "Today", "Yesterday", "Monday, December 1",
 * and the year when it is not this one. Days are the reader's local ones.
 */
export function dayLabel(at: string, now: Date, locale?: string): string {
  const date = new Date(at);
  const day = localDay(date);
  if (day === localDay(now)) return "Today";
  // The calendar's day before, whatever length a change of daylight saving time gave it.
  if (day === localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1))) return "Yesterday";
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    month: "long",
    day: "numeric",
    year: date.getFullYear() === now.getFullYear() ? undefined : "numeric",
  }).format(date);
}

/** How long until the next local midnight after `now`, when "Today" becomes "Yesterday". */
export function untilNextDay(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() - now.getTime();
}
