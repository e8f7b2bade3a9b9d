// Spikes: days whose cost is far above the account's usual, and what drove them (the campaign,
// number, assistant and channel that cost most that day).
import { decimalString, money, type Money, ZERO } from '../money';

export const DEFAULT_SPIKE_FACTOR = 3;
const DRIVERS = ['channel', 'campaign', 'number', 'assistant'] as const;
type Driver = (typeof DRIVERS)[number];

/** Cost of one day for one combination of driver values ('' where the event named none). */
export interface DayCost extends Record<Driver, string> {
  day: string;
  amount: Money;
}

function median(values: Money[]): Money {
  if (values.length === 0) return ZERO;
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : sorted[middle - 1]!.plus(sorted[middle]!).dividedBy(2);
}

/**
 * `days` lists every day of the window (days without usage cost 0). A day is a spike when it cost
 * more than `factor` times the baseline, the median of the window's other days.
 */
export function findSpikes(days: readonly string[], costs: readonly DayCost[], factor: number) {
  const byDay = new Map<string, DayCost[]>(days.map((d) => [d, []]));
  for (const cost of costs) byDay.get(cost.day)?.push(cost);
  const totals = new Map([...byDay].map(([day, rows]) => [day, rows.reduce((s, r) => s.plus(r.amount), ZERO)]));

  const spikes = [];
  for (const [day, amount] of totals) {
    if (!amount.greaterThan(0)) continue;
    const baseline = median([...totals].filter(([other]) => other !== day).map(([, a]) => a));
    if (!amount.greaterThan(baseline.times(factor))) continue;
    const rows = byDay.get(day)!;
    const drivers = DRIVERS.flatMap((driver) => {
      const by = new Map<string, Money>();
      for (const row of rows) if (row[driver] !== '') by.set(row[driver], (by.get(row[driver]) ?? ZERO).plus(row.amount));
      const top = [...by].sort((a, b) => b[1].comparedTo(a[1]))[0];
      if (!top) return [];
      return [{ dimension: driver, value: top[0], amount: decimalString(top[1]), share: top[1].dividedBy(amount).toDecimalPlaces(4).toFixed() }];
    });
    const times = baseline.isZero() ? null : amount.dividedBy(baseline).toDecimalPlaces(1).toFixed();
    spikes.push({
      day,
      amount: decimalString(amount),
      baseline: decimalString(baseline),
      times,
      drivers,
      summary: spikeSentence({ day, amount, baseline, times, drivers }),
    });
  }
  return spikes;
}

function spikeSentence({ day, amount, baseline, times, drivers }: { day: string; amount: Money; baseline: Money; times: string | null; drivers: { dimension: string; value: string; share: string }[] }
): string {
  const against = times === null ? ' on a window where a usual day costs nothing' : `, ${times} times a usual day (${decimalString(baseline.toDecimalPlaces(2))})`;
  const named = drivers
    .filter((d) => d.dimension !== 'channel')
    .map((d) => `${d.dimension} ${d.value} (${percentOf(d.share)}%)`);
  const channel = drivers.find((d) => d.dimension === 'channel');
  return `On ${day} usage cost ${decimalString(amount.toDecimalPlaces(2))}${against}` +
    (channel ? `, mostly ${channel.value} (${percentOf(channel.share)}%)` : '') +
    (named.length > 0 ? `; driven by ${named.join(', ')}.` : '.');
}

function percentOf(share: string): string {
  return money(share).times(100).toFixed(0);
}
