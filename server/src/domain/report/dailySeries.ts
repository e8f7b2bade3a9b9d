// A cycle's cost per UTC day and channel, every day present (zero when nothing was used), in the
// shape a stacked bar chart draws.
import type { Cycle } from '../cycle/Cycle';
import { decimalString, money, type Money, sum, ZERO } from '../money';
import { CHANNEL_NAMES } from './CostReport';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DayChannelCost {
  day: string;
  channel: string;
  amount: string;
}

export function daysOf(cycle: Cycle): string[] {
  const days: string[] = [];
  for (let at = Math.floor(cycle.start.getTime() / DAY_MS) * DAY_MS; at < cycle.end.getTime(); at += DAY_MS) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

export function dailySeries(cycle: Cycle, costs: readonly DayChannelCost[]) {
  const days = daysOf(cycle);
  const index = new Map(days.map((day, i) => [day, i]));
  const byChannel = new Map<string, Money[]>();
  for (const cost of costs) {
    const at = index.get(cost.day);
    if (at === undefined) continue;
    let amounts = byChannel.get(cost.channel);
    if (!amounts) {
      amounts = days.map(() => ZERO);
      byChannel.set(cost.channel, amounts);
    }
    amounts[at] = amounts[at]!.plus(money(cost.amount));
  }
  const channels = [...byChannel.entries()]
    .map(([channel, amounts]) => ({ channel, name: CHANNEL_NAMES[channel] ?? channel, amounts, total: sum(amounts) }))
    .sort((a, b) => b.total.comparedTo(a.total) || a.channel.localeCompare(b.channel));
  return {
    days,
    channels: channels.map((c) => ({ channel: c.channel, name: c.name, amounts: c.amounts.map(decimalString) })),
    totals: days.map((_, i) => decimalString(sum(channels.map((c) => c.amounts[i]!)))),
  };
}
