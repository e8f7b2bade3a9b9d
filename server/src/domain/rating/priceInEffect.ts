// Which price rates a service for an account: the account's own price, else the plan's override,
// else the catalog's; resolved for the account's billing interval.
import type { AccountPrices } from '../account/AccountPrices';
import { type Catalog, type Increments, type Interval, isTiered, type Plan, priceFor, type Service } from '../catalog/Catalog';
import type { Money } from '../money';
import { resolveTiers, type ResolvedTier, type TierMode } from './tieredPrice';

export type PriceSource = 'catalog' | 'plan' | 'account';

export type PriceRule = { kind: 'flat'; amount: Money; per: number } | { kind: 'tiered'; mode: TierMode; tiers: ResolvedTier[] };

export interface PriceInEffect {
  rule: PriceRule;
  source: PriceSource;
}

export function priceInEffect(service: Service, plan: Plan, interval: Interval, accountPrices?: AccountPrices): PriceInEffect {
  const own = accountPrices && Object.hasOwn(accountPrices, service.code) ? accountPrices[service.code]!.price : undefined;
  if (own) return { rule: ruleOf(own, own, interval), source: 'account' };
  const override = plan.overrides[service.code]?.price;
  if (override !== undefined) return { rule: ruleOf(override, service.price, interval), source: 'plan' };
  return { rule: ruleOf(service.price, service.price, interval), source: 'catalog' };
}

/** The increments a duration is billed in: the account's, else the plan's, else the service's. */
export function incrementsInEffect(service: Service, plan: Plan, fallback: Increments, accountPrices?: AccountPrices): Increments {
  const own = accountPrices && Object.hasOwn(accountPrices, service.code) ? accountPrices[service.code]!.increments : undefined;
  const override = Object.hasOwn(plan.overrides, service.code) ? plan.overrides[service.code]!.increments : undefined;
  return own ?? override ?? fallback;
}

function ruleOf(price: Service['price'] | NonNullable<Plan['overrides'][string]['price']>, base: Service['price'], interval: Interval): PriceRule {
  if (isTiered(price)) return { kind: 'tiered', mode: price.mode, tiers: resolveTiers(price, interval) };
  // A plan's override is an amount for the service's own `per` units (a tiered service takes tiers only).
  if ('per' in price && typeof price.per === 'number' && 'amount' in price) return { kind: 'flat', amount: priceFor(price.amount, interval), per: price.per };
  return { kind: 'flat', amount: priceFor(price as Money | { month: Money; year: Money }, interval), per: isTiered(base) ? 1 : base.per };
}

/** A unit price that stands for the rule where one number must (recommendations' rough costs): a tiered price's first tier. */
export function firstUnitPrice(rule: PriceRule): { amount: Money; per: number } {
  return rule.kind === 'flat' ? { amount: rule.amount, per: rule.per } : { amount: rule.tiers[0]!.amount, per: rule.tiers[0]!.per };
}

/** Whether a catalog prices anything in tiers, asked per account of every batch: worked out once per catalog. */
const catalogsWithTiers = new WeakMap<object, boolean>();

/** Whether any price the account may be rated at has tiers: only then do its cycles' tier counts matter. */
export function mayUseTiers(catalog: Pick<Catalog, 'services' | 'plans'>, account: { plan: string; prices?: AccountPrices | undefined }): boolean {
  if (account.prices && Object.values(account.prices).some((p) => isTiered(p.price))) return true;
  let tiered = catalogsWithTiers.get(catalog);
  if (tiered === undefined) {
    tiered =
      catalog.services.some((s) => isTiered(s.price)) ||
      catalog.plans.some((p) => Object.values(p.overrides).some((o) => o.price !== undefined && isTiered(o.price)));
    catalogsWithTiers.set(catalog, tiered);
  }
  return tiered;
}
