// Which rollups answer a period: whole UTC days from the daily rollups, the hours at either edge
// from the hourly ones. A month then reads about thirty rows per group instead of 744.
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Span {
  from: Date;
  to: Date;
}

export interface RollupSpans {
  /** Whole UTC days, or undefined when the period holds none. */
  days: Span | undefined;
  /** The hours before the first whole day and after the last, or the whole period. */
  hours: Span[];
}

export function dayOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function rollupSpans(from: Date, to: Date): RollupSpans {
  const firstMidnight = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const lastMidnight = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  if (firstMidnight >= lastMidnight) return { days: undefined, hours: to > from ? [{ from, to }] : [] };
  const hours: Span[] = [];
  if (from.getTime() < firstMidnight) hours.push({ from, to: new Date(firstMidnight) });
  if (lastMidnight < to.getTime()) hours.push({ from: new Date(lastMidnight), to });
  return { days: { from: new Date(firstMidnight), to: new Date(lastMidnight) }, hours };
}
