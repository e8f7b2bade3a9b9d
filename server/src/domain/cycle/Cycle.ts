// Billing cycles follow the account's anchor: monthly from anchor to anchor (an anchor on the
// 31st falls on the last day of shorter months and returns to the 31st), or yearly. UTC throughout.
import type { Interval } from '../catalog/Catalog';
import { dayForPeople } from '../display/forPeople';

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

/**
 * Cycles remembered, the last one per anchor and interval: ingestion asks for the cycles of a
 * thousand accounts several times per batch, and nearly every answer is the one given before. A
 * cache of a pure function: the answer is the same whether it is remembered or not.
 */
const remembered = new Map<string, Cycle>();
const MAX_REMEMBERED = 100_000;
const keys = new WeakMap<Cycle, string>();

/** The cycle that contains `at`. Frozen: the same object is handed to every caller that asks. */
export function cycleContaining(anchor: Date, interval: Interval, at: Date): Cycle {
  const key = `${interval}|${anchor.getTime()}`;
  const known = remembered.get(key);
  if (known && known.start.getTime() <= at.getTime() && at.getTime() < known.end.getTime()) return known;
  const cycle = computeCycle(anchor, interval, at);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(key, cycle);
  return cycle;
}

function computeCycle(anchor: Date, interval: Interval, at: Date): Cycle {
  const monthsApart =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let n = Math.floor(monthsApart / MONTHS_PER[interval]);
  // The month arithmetic can be one cycle off around the anchor's day and time; settle it.
  let start = cycleStart(anchor, interval, n);
  while (start.getTime() > at.getTime()) start = cycleStart(anchor, interval, --n);
  let end = cycleStart(anchor, interval, n + 1);
  while (end.getTime() <= at.getTime()) {
    start = end;
    end = cycleStart(anchor, interval, ++n + 1);
  }
  return Object.freeze({ start, end });
}

/** The cycle's start as periods are stored and keyed (ISO 8601), computed once per cycle. */
export function cycleKey(cycle: Cycle): string {
  let key = keys.get(cycle);
  if (key === undefined) {
    key = cycle.start.toISOString();
    keys.set(cycle, key);
  }
  return key;
}

/** A period as people read it: its first and last day, "2026-03-01 – 2026-03-31" (UTC). */
export function periodText(period: Cycle): string {
  return `${dayForPeople(period.start)} – ${dayForPeople(new Date(period.end.getTime() - 1))}`;
}

/** A period as it travels in JSON: its bounds as ISO 8601 instants. */
export function periodJson(period: Cycle): { start: string; end: string } {
  return { start: period.start.toISOString(), end: period.end.toISOString() };
}
