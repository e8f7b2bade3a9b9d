// The cost report: what was charged in a period, grouped by the dimensions the caller chose, with
// quantities per unit, the included allowance used, and totals. Built from rollup sums; pure.
import { decimalString, type Money, ZERO } from '../money';

/** What every report may group by; a catalog adds the fields it marks `dimension: true`. */
export const GROUP_BY = ['channel', 'service', 'assistant', 'campaign', 'number', 'day', 'month'] as const;
export type BuiltInGroupBy = (typeof GROUP_BY)[number];
/** A built-in grouping or a declared dimension's name (checked against the catalog by the route). */
export type GroupBy = BuiltInGroupBy | (string & {});

export function isBuiltInGroupBy(name: string): name is BuiltInGroupBy {
  return (GROUP_BY as readonly string[]).includes(name);
}

/** Channels as a customer reads them (the later ones arrive with recurring fees). */
export const CHANNEL_NAMES: Record<string, string> = {
  ai_chat: 'AI chat',
  voice: 'Voice',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  ai_conversation: 'AI conversations',
  phone_numbers: 'Phone numbers',
  subscription: 'Subscription',
  add_ons: 'Add-ons',
};

/** Channels of recurring fees rather than usage: forecasts and spikes leave them out of the run rate. */
export const RECURRING_CHANNELS = ['phone_numbers', 'subscription', 'add_ons'];

/** One sum of rollups, by the chosen dimensions and the unit. */
export interface RollupSum {
  dimensions: Partial<Record<GroupBy, string>>;
  unit: string;
  charges: number;
  quantity: Money;
  chargeable: Money;
  amount: Money;
}

export interface MeterSum {
  meter: string;
  unit: string;
  used: Money;
}

export interface CostReportQuery {
  account: string | null;
  from: Date;
  to: Date;
  groupBy: readonly GroupBy[];
}

interface UnitLine {
  unit: string;
  quantity: Money;
  included: Money;
  amount: Money;
  charges: number;
}

export function costReport(query: CostReportQuery, sums: readonly RollupSum[], meters: readonly MeterSum[]) {
  const groups = new Map<string, { dimensions: Partial<Record<GroupBy, string>>; lines: UnitLine[] }>();
  for (const sum of sums) {
    const key = query.groupBy.map((g) => sum.dimensions[g] ?? '').join('\u0000');
    let group = groups.get(key);
    if (!group) {
      group = { dimensions: sum.dimensions, lines: [] };
      groups.set(key, group);
    }
    group.lines.push({
      unit: sum.unit,
      quantity: sum.quantity,
      included: sum.quantity.minus(sum.chargeable),
      amount: sum.amount,
      charges: sum.charges,
    });
  }

  const total = { amount: ZERO, charges: 0 };
  const rows = [...groups.values()].map((group) => {
    const amount = group.lines.reduce((s, l) => s.plus(l.amount), ZERO);
    const charges = group.lines.reduce((s, l) => s + l.charges, 0);
    total.amount = total.amount.plus(amount);
    total.charges += charges;
    const dimensions = Object.fromEntries(query.groupBy.map((g) => [g, group.dimensions[g] || null]));
    return {
      ...dimensions,
      ...(query.groupBy.includes('channel') ? { channelName: CHANNEL_NAMES[group.dimensions.channel ?? ''] ?? group.dimensions.channel ?? null } : {}),
      amount,
      charges,
      quantities: group.lines.sort((a, b) => a.unit.localeCompare(b.unit)),
    };
  });
  // Most expensive first: the answer to "why is my bill so high" leads.
  rows.sort((a, b) => b.amount.comparedTo(a.amount) || compareDimensions(a, b, query.groupBy));

  return {
    account: query.account,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: [...query.groupBy],
    groups: rows.map((row) => ({
      ...row,
      amount: decimalString(row.amount),
      quantities: row.quantities.map((l) => ({
        unit: l.unit,
        quantity: decimalString(l.quantity),
        included: decimalString(l.included),
        amount: decimalString(l.amount),
        charges: l.charges,
      })),
    })),
    totals: { amount: decimalString(total.amount), charges: total.charges },
    allowances: meters
      .filter((m) => m.meter !== '')
      .map((m) => ({ meter: m.meter, unit: m.unit, used: decimalString(m.used) }))
      .sort((a, b) => a.meter.localeCompare(b.meter)),
  };
}

export type CostReport = ReturnType<typeof costReport>;

function compareDimensions(a: Record<string, unknown>, b: Record<string, unknown>, groupBy: readonly GroupBy[]): number {
  for (const g of groupBy) {
    const order = String(a[g] ?? '').localeCompare(String(b[g] ?? ''));
    if (order !== 0) return order;
  }
  return 0;
}

/** The report as CSV records: one per group and unit, so every amount stays attributable. */
export function costReportRecords(report: CostReport): { header: string[]; records: string[][] } {
  const header = [...report.groupBy, 'unit', 'quantity', 'included', 'charges', 'amount'];
  const records = report.groups.flatMap((group) =>
    group.quantities.map((line) => [
      ...report.groupBy.map((g) => String((group as Record<string, unknown>)[g] ?? '')),
      line.unit,
      line.quantity,
      line.included,
      String(line.charges),
      line.amount,
    ]),
  );
  return { header, records };
}
