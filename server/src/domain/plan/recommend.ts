// Plan recommendations: what each plan would have cost for usage the account really had (its last
// cycle, or its trial so far), whether the account fits it, and whether the plan is made for the
// account's template and integrations; ranked fitting first, then made-for, then cheapest.
import { allowanceCovering, includedUnits } from '../allowance/Allowance';
import { type Catalog, type Interval, type Plan } from '../catalog/Catalog';
import type { AccountPrices } from '../account/AccountPrices';
import { firstUnitPrice, priceInEffect } from '../rating/priceInEffect';
import { priceOfQuantity } from '../rating/tieredPrice';
import { decimalString, minOf, Money, ZERO } from '../money';
import { limitViolations, missingFeatures, type LimitViolation } from './PlanChange';

export interface ServiceQuantity {
  service: string;
  /** Units billed for the service over the period (before allowances). */
  quantity: Money;
}

/**
 * The services one charge-once key (a conversation) used over the period: whatever it used, it is
 * charged at most once (DOMAIN.md model 5), so it is priced as one unit, not once per service.
 */
export interface OnceUse {
  services: readonly string[];
}

export interface PlanEstimate {
  plan: Plan;
  fee: Money;
  usage: Money;
  missingFeatures: string[];
  limits: LimitViolation[];
}

/** A trial cannot be chosen again: free, with an allowance for the account's whole life. */
export function isTrial(plan: Plan): boolean {
  const free = !plan.price || (plan.price.month.isZero() && plan.price.year.isZero());
  return free && plan.allowances.some((a) => 'total' in a.included);
}

/**
 * What `plan` would have charged for these quantities: its fee, and usage beyond its allowances.
 * `once` are the charge-once keys (conversations) with the services each used; `usage` leaves
 * those services out.
 */
export function estimate({
  catalog,
  plan,
  interval,
  usage,
  resources,
  once = [],
  accountPrices,
}: {
  catalog: Pick<Catalog, 'services'>;
  plan: Plan;
  interval: Interval;
  usage: readonly ServiceQuantity[];
  resources: Readonly<Record<string, number>>;
  once?: readonly OnceUse[];
  /** The account's own prices, which any plan would rate it at. */
  accountPrices?: AccountPrices | undefined;
}): PlanEstimate {
  const remaining = new Map<string, Money | 'unlimited'>(plan.allowances.map((a) => [a.meter, includedUnits(a, interval)]));
  const needed: string[] = [];
  let cost = ZERO;
  const ruleOf = (service: Catalog['services'][number]) => priceInEffect(service, plan, interval, accountPrices).rule;
  // A conversation charged once costs one unit: a tiered price's first tier.
  const unitRate = (service: Catalog['services'][number]) => {
    const unit = firstUnitPrice(ruleOf(service));
    return unit.amount.dividedBy(unit.per);
  };
  for (const use of once) {
    // In the catalog's order, so that the same conversation always prices the same way.
    const services = catalog.services.filter((s) => use.services.includes(s.code));
    for (const service of services) if (service.feature) needed.push(service.feature);
    // A priced service no allowance covers (autopilot) makes the conversation chargeable: once, at its rate.
    const uncovered = services.find((s) => !allowanceCovering(plan, s.code) && unitRate(s).greaterThan(0));
    if (uncovered) {
      cost = cost.plus(unitRate(uncovered));
      continue;
    }
    // Otherwise an included unit covers it while one is left, then it is charged at the covered service's rate.
    const covered = services.find((s) => allowanceCovering(plan, s.code));
    if (!covered) continue;
    const meter = allowanceCovering(plan, covered.code)!.meter;
    const left = remaining.get(meter)!;
    if (left === 'unlimited') continue;
    if (left.greaterThanOrEqualTo(1)) remaining.set(meter, left.minus(1));
    else cost = cost.plus(unitRate(covered));
  }
  for (const line of usage) {
    const service = catalog.services.find((s) => s.code === line.service);
    if (!service) continue;
    if (service.feature) needed.push(service.feature);
    const allowance = allowanceCovering(plan, service.code);
    let chargeable = line.quantity;
    if (allowance) {
      const left = remaining.get(allowance.meter)!;
      const covered = left === 'unlimited' ? chargeable : minOf(left, chargeable);
      if (left !== 'unlimited') remaining.set(allowance.meter, left.minus(covered));
      chargeable = chargeable.minus(covered);
    }
    const rule = ruleOf(service);
    // Multiply before dividing so that any terminating result stays exact; tiers price the quantity as one cycle's.
    cost = cost.plus(rule.kind === 'flat' ? chargeable.times(rule.amount).dividedBy(rule.per) : priceOfQuantity(rule.mode, rule.tiers, chargeable));
  }
  return {
    plan,
    fee: plan.price ? plan.price[interval] : ZERO,
    usage: cost.toDecimalPlaces(2, Money.ROUND_HALF_UP),
    missingFeatures: missingFeatures(plan, needed),
    limits: limitViolations(plan, resources),
  };
}

export interface Recommendation {
  rank: number;
  plan: string;
  name: string;
  fits: boolean;
  madeFor: string[];
  fee: string;
  usage: string;
  /** Fee plus usage, when both count in the same currency. */
  total: string | null;
  reason: string;
}

export function recommend({
  catalog,
  interval,
  usage,
  account,
  basis,
  once = [],
}: {
  catalog: Pick<Catalog, 'services' | 'plans' | 'currency' | 'balanceUnit'>;
  interval: Interval;
  usage: readonly ServiceQuantity[];
  account: { template: string | undefined; integrations: readonly string[]; resources: Readonly<Record<string, number>>; prices?: AccountPrices | undefined };
  basis: string;
  once?: readonly OnceUse[];
}): Recommendation[] {
  const sameUnit = catalog.balanceUnit === catalog.currency;
  const rows = catalog.plans
    .filter((plan) => !isTrial(plan))
    .map((plan) => {
      const e = estimate({ catalog, plan, interval, usage, resources: account.resources, once, accountPrices: account.prices });
      const madeFor = [
        ...(account.template && plan.suitedFor.templates.includes(account.template) ? [account.template] : []),
        ...account.integrations.filter((i) => plan.suitedFor.integrations.includes(i)),
      ];
      const fits = e.missingFeatures.length === 0 && e.limits.length === 0;
      return { e, madeFor, fits, total: sameUnit ? e.fee.plus(e.usage) : undefined };
    });
  rows.sort(
    (a, b) =>
      Number(b.fits) - Number(a.fits) ||
      b.madeFor.length - a.madeFor.length ||
      (a.total && b.total ? a.total.comparedTo(b.total) : a.e.usage.comparedTo(b.e.usage) || a.e.fee.comparedTo(b.e.fee)) ||
      a.e.plan.code.localeCompare(b.e.plan.code),
  );
  const money = (value: Money, unit: string) => `${value.toFixed(2)} ${unit}`;
  return rows.map((row, i) => {
    const { e } = row;
    const cost = row.total
      ? `${money(row.total, catalog.currency)} (${money(e.fee, catalog.currency)} fee + ${money(e.usage, catalog.currency)} usage beyond what it includes)`
      : `${money(e.fee, catalog.currency)} fee and ${money(e.usage, catalog.balanceUnit)} of usage beyond what it includes`;
    const unfit = [
      ...e.missingFeatures.map((f) => `lacks ${f}, which you used`),
      ...e.limits.map((l) => `allows ${l.limit} up to ${l.allowed} (you have ${l.current})`),
    ];
    const reason = !row.fits
      ? `Does not fit: it ${unfit.join(' and ')}.`
      : `${row.madeFor.length > 0 ? `Made for ${row.madeFor.join(' and ')}; f` : 'F'}or ${basis} it would have cost ${cost}.`;
    return {
      rank: i + 1,
      plan: e.plan.code,
      name: e.plan.name,
      fits: row.fits,
      madeFor: row.madeFor,
      fee: decimalString(e.fee),
      usage: decimalString(e.usage),
      total: row.total ? decimalString(row.total) : null,
      reason,
    };
  });
}
