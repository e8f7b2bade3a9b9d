// Billing cycles follow the account's anchor: monthly from anchor to anchor (an anchor on the
// 31st falls on the last day of shorter months and returns to the 31st), or yearly. UTC throughout.
import type { Interval } from '../catalog/Catalog';

export interface Cycle {
  /** Inclusive. */
  start: Date;
  /** Exclusive: the next cycle's start. */
  end: Date;
}

const MONTHS_PER: Record<Interval, number> = { month: 1, year: 12 };

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** The start of the n-th cycle after the anchor (n may be negative). */
export function cycleStart(anchor: Date, interval: Interval, n: number): Date {
  const months = anchor.getUTCMonth() + n * MONTHS_PER[interval];
  const year = anchor.getUTCFullYear() + Math.floor(months / 12);
  const monthIndex = ((months % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, monthIndex));
  return new Date(
    Date.UTC(year, monthIndex, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()),
  );
}

/** The cycle that contains `at`. */
export function cycleContaining(anchor: Date, interval: Interval, at: Date): Cycle {
  const monthsApart =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let n = Math.floor(monthsApart / MONTHS_PER[interval]);
  // The month arithmetic can be one cycle off around the anchor's day and time; settle it.
  while (cycleStart(anchor, interval, n).getTime() > at.getTime()) n -= 1;
  while (cycleStart(anchor, interval, n + 1).getTime() <= at.getTime()) n += 1;
  return { start: cycleStart(anchor, interval, n), end: cycleStart(anchor, interval, n + 1) };
}

/**
 * cycleContaining for many timestamps of few accounts (a batch): each account's last cycle is kept
 * and reused while the timestamps fall inside it, as nearly all of a batch's do.
 */
export function cycleFinder(): (account: { id: string; anchor: Date; interval: Interval }, at: Date) => Cycle {
  const last = new Map<string, Cycle>();
  return (account, at) => {
    const known = last.get(account.id);
    if (known && known.start.getTime() <= at.getTime() && at.getTime() < known.end.getTime()) return known;
    const cycle = cycleContaining(account.anchor, account.interval, at);
    last.set(account.id, cycle);
    return cycle;
  };
}

/** A period as people read it: its first and last day, "2026-03-01 – 2026-03-31" (UTC). */
export function periodText(period: Cycle): string {
  const day = (at: Date) => at.toISOString().slice(0, 10);
  return `${day(period.start)} – ${day(new Date(period.end.getTime() - 1))}`;
}
