// Alert rules and when they fire. A rule fires once per threshold it reaches, and not again until
// re-armed: allowance and spend thresholds by the next cycle, balance thresholds by a balance that
// climbs back to the line. Rules are judged on the account's state, not on a single event, so a
// batch that crosses a line fires it once, and a rule created past its line fires at the next change.
import type { Money } from '../money';

export type AlertRule =
  | { id: string; accountId: string | null; kind: 'allowance_percent'; meter: string; thresholds: Money[] }
  | { id: string; accountId: string | null; kind: 'balance_below'; thresholds: Money[] }
  | { id: string; accountId: string | null; kind: 'cycle_spend_above'; thresholds: Money[] };

export const ALERT_KINDS = ['allowance_percent', 'balance_below', 'cycle_spend_above'] as const;

/** An account's figures after a change. Allowance figures are in the meter's unit. */
export interface AccountFigures {
  balance: Money;
  cycleSpend: Money;
  allowances: ReadonlyMap<string, { used: Money; included: Money | 'unlimited'; unit: string }>;
}

/** Crossings are remembered per rule, threshold and period: a cycle's start, or this for balances. */
export const BALANCE_PERIOD = 'balance';

export interface Reached {
  rule: AlertRule;
  threshold: Money;
  period: string;
}

/**
 * The thresholds the figures have reached that have not fired yet in their period. `fired` holds
 * `${ruleId}|${threshold}|${period}` of crossings already reported.
 */
export function reachedThresholds({ rules, figures, cyclePeriod, fired }: { rules: readonly AlertRule[]; figures: AccountFigures; cyclePeriod: string; fired: ReadonlySet<string> }): Reached[] {
  const reached: Reached[] = [];
  for (const rule of rules) {
    const period = rule.kind === 'balance_below' ? BALANCE_PERIOD : cyclePeriod;
    for (const threshold of rule.thresholds) {
      if (!isReached(rule, threshold, figures)) continue;
      if (fired.has(crossingKey(rule.id, threshold, period))) continue;
      reached.push({ rule, threshold, period });
    }
  }
  return reached;
}

/**
 * Thresholds the figures no longer reach: their crossings are forgotten, so that only a new crossing
 * fires them again. A balance rule's, whenever the balance stands at or above it again; an allowance
 * or spend rule's only when the change lowered the cycle's usage (a void), since other changes do
 * not carry the usage figures.
 */
export function rearmedThresholds({ rules, figures, usageLowered }: { rules: readonly AlertRule[]; figures: AccountFigures; usageLowered: boolean }): { rule: AlertRule; threshold: Money }[] {
  return rules.flatMap((rule) => {
    if (rule.kind !== 'balance_below' && !usageLowered) return [];
    if (rule.kind === 'allowance_percent' && percentUsed(figures, rule.meter) === undefined) return [];
    return rule.thresholds.filter((t) => !isReached(rule, t, figures)).map((threshold) => ({ rule, threshold }));
  });
}

export const crossingKey = (ruleId: string, threshold: Money, period: string) => `${ruleId}|${threshold.toFixed()}|${period}`;

/** Percent of the included allowance used, or undefined for an unlimited or unknown meter. */
export function percentUsed(figures: AccountFigures, meter: string): Money | undefined {
  const allowance = figures.allowances.get(meter);
  if (!allowance || allowance.included === 'unlimited' || allowance.included.isZero()) return undefined;
  return allowance.used.times(100).dividedBy(allowance.included);
}

function isReached(rule: AlertRule, threshold: Money, figures: AccountFigures): boolean {
  switch (rule.kind) {
    case 'allowance_percent': {
      const percent = percentUsed(figures, rule.meter);
      return percent !== undefined && percent.greaterThanOrEqualTo(threshold);
    }
    case 'balance_below':
      return figures.balance.lessThan(threshold);
    case 'cycle_spend_above':
      return figures.cycleSpend.greaterThan(threshold);
  }
}
