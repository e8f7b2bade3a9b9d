// Included allowances: how much of a meter a plan includes per cycle (or in total, for a trial),
// counted in the covered services' own units so that no division ever loses a fraction.
import type { Allowance, Interval, Plan } from '../catalog/Catalog';
import type { Cycle } from '../cycle/Cycle';
import { Money, money, minOf } from '../money';

export type Included = Money | 'unlimited';

/** Included amount in service units (minutes x 60 = seconds), for the account's interval. */
export function includedUnits(allowance: Allowance, interval: Interval): Included {
  const amount = 'total' in allowance.included ? allowance.included.total : allowance.included[interval];
  return amount === 'unlimited' ? 'unlimited' : amount.times(allowance.per);
}

/** Which period an allowance's usage counts in: the cycle, or the account's whole life (trial). */
export function allowancePeriod(allowance: Allowance, cycle: Cycle): string {
  return 'total' in allowance.included ? 'total' : cycle.start.toISOString();
}

export function allowanceCovering(plan: Plan, serviceCode: string): Allowance | undefined {
  return plan.allowances.find((a) => a.services.includes(serviceCode));
}

export function remainingUnits(included: Included, usedUnits: Money): Included {
  if (included === 'unlimited') return 'unlimited';
  const remaining = included.minus(usedUnits);
  return remaining.isNegative() ? money(0) : remaining;
}

/** How many of `wantedUnits` the allowance covers. */
export function coveredUnits(remaining: Included, wantedUnits: Money): Money {
  return remaining === 'unlimited' ? wantedUnits : minOf(remaining, wantedUnits);
}

/** An amount of service units in meter units, for people: 90 seconds is 1.5 minutes. */
export function inMeterUnits(units: Money, allowance: Allowance): Money {
  return units.dividedBy(allowance.per);
}
