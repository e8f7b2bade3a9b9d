// What a plan change does, decided before anything is written (so a preview and the change itself
// say the same). An upgrade takes effect at once (its fees: PlanFee, prorated to the second here);
// a move to yearly billing starts a new cycle at the next whole hour; a downgrade or a move to
// monthly billing waits for the cycle's end. The same plan and interval changes nothing.
import type { DomainError } from '../errors';
import type { Interval, Plan } from '../catalog/Catalog';
import type { Cycle } from '../cycle/Cycle';
import { money, Money, ZERO } from '../money';

export type PlanChangeKind = 'upgrade' | 'downgrade' | 'interval_change' | 'none';

export interface LimitViolation {
  limit: string;
  allowed: number;
  current: number;
}

/** The share of the cycle from `from` to `to`, to the second. */
export function shareOf(cycle: Cycle, from: Date, to: Date): Money {
  const length = Math.floor((cycle.end.getTime() - cycle.start.getTime()) / 1000);
  const part = Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
  return money(part).dividedBy(length);
}

/** `newVersion`: the target plan is of another catalog version, so the same code is a change too (its prices may differ). */
export function planChangeKind({
  current,
  currentInterval,
  target,
  targetInterval,
  newVersion = false,
}: {
  current: Plan;
  currentInterval: Interval;
  target: Plan;
  targetInterval: Interval;
  newVersion?: boolean;
}): PlanChangeKind {
  if (currentInterval !== targetInterval) return 'interval_change';
  if (current.code === target.code && !newVersion) return 'none';
  const fee = (plan: Plan) => (plan.price ? plan.price[currentInterval] : ZERO);
  // Equal fees switch at once, like an upgrade: nothing is lost by either side.
  return fee(target).lessThan(fee(current)) ? 'downgrade' : 'upgrade';
}

/** The target plan's limits that the account's counted resources exceed now. */
export function limitViolations(target: Plan, resources: Readonly<Record<string, number>>): LimitViolation[] {
  const violations: LimitViolation[] = [];
  for (const [limit, allowed] of Object.entries(target.limits)) {
    const current = resources[limit] ?? 0;
    if (allowed !== 'unlimited' && current > allowed) violations.push({ limit, allowed, current });
  }
  return violations;
}

/** Why an account does not fit `plan`: each limit it exceeds and each feature in use the plan lacks. */
export function unfitMessage(plan: Plan, limits: readonly LimitViolation[], features: readonly string[]): string {
  const parts = [
    ...limits.map((l) => `${l.limit} at most ${l.allowed} (the account has ${l.current})`),
    ...features.map((f) => `the ${f} feature, which the account used this cycle`),
  ];
  return `The account does not fit ${plan.name}: it allows ${parts.join('; ')}.`;
}

/**
 * The refusal of an account that does not fit `plan`: `field` is `plan` for a plan change, or the
 * limit's own name for counted resources set past it.
 */
export function planLimitsExceeded({ plan, limits, features, field }: { plan: Plan; limits: LimitViolation[]; features: string[]; field: string }): DomainError {
  return { code: 'plan_limits_exceeded', field, limits, features, message: unfitMessage(plan, limits, features) };
}

/** Features of services the account used this cycle that the target plan lacks. */
export function missingFeatures(target: Plan, featuresUsed: readonly string[]): string[] {
  return [...new Set(featuresUsed)].filter((feature) => !target.features.includes(feature)).sort();
}

/** The plan fee for the part of `cycle` from `from` to `to`, rounded half up to the cent. */
export function proratedFee({ plan, interval, cycle, from, to }: { plan: Plan; interval: Interval; cycle: Cycle; from: Date; to: Date }): Money {
  const fee = plan.price ? plan.price[interval] : ZERO;
  return fee.times(shareOf(cycle, from, to)).toDecimalPlaces(2, Money.ROUND_HALF_UP);
}

/** An upgrade's extra credits for the rest of the cycle: the packages' difference, prorated. */
export function extraCredits({ current, target, interval, cycle, at }: { current: Plan; target: Plan; interval: Interval; cycle: Cycle; at: Date }): Money {
  const credits = (plan: Plan) => (plan.credits ? plan.credits[interval] : ZERO);
  const difference = credits(target).minus(credits(current));
  if (!difference.greaterThan(0)) return ZERO;
  return difference.times(shareOf(cycle, at, cycle.end)).toDecimalPlaces(2, Money.ROUND_HALF_UP);
}
