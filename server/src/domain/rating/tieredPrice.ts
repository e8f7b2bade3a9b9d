// Tiered prices over a cycle's quantity. Graduated: each unit is priced in the tier it falls in.
// Volume: every unit of the cycle is priced at the tier the cycle's total reaches. An event's charge
// is the difference it makes to the cycle's price, price(before + q) - price(before), worked out per
// tier (multiply before divide, rounded once to the charge scale) so that it is exact at the edges.
//
// Volume tiers make that difference negative where an event takes the cycle into a cheaper tier:
// the units charged before are now all priced lower. The event's charge is then negative and the
// account gets those credits back at once (see planIngestion), so that the cycle's charges always
// add up to the volume price of its quantity, as a price list promises; nothing waits for the closing.
import type { Interval, TieredPrice } from '../catalog/Catalog';
import { priceFor } from '../catalog/Catalog';
import { CHARGE_SCALE, Money, sum, ZERO } from '../money';

export type TierMode = TieredPrice['mode'];

/** One tier with its amount for the account's interval: units above `from` up to `upTo` (none: without end). */
export interface ResolvedTier {
  from: Money;
  upTo?: Money;
  amount: Money;
  per: number;
}

/** Units of an event priced in one tier (1-based), and what they cost; volume lines may take back (negative units). */
export interface TierLine {
  tier: number;
  units: Money;
  amount: Money;
  per: number;
  charge: Money;
}

export interface TieredCharge {
  mode: TierMode;
  /** The cycle's quantity before the event, and after it. */
  before: Money;
  after: Money;
  lines: TierLine[];
  /** The event's charge, rounded to the charge scale; negative where volume tiers got cheaper. */
  amount: Money;
}

export function resolveTiers(price: TieredPrice, interval: Interval): ResolvedTier[] {
  let from = ZERO;
  return price.tiers.map((t) => {
    const tier: ResolvedTier = { from, ...(t.upTo !== undefined ? { upTo: t.upTo } : {}), amount: priceFor(t.amount, interval), per: t.per };
    if (t.upTo !== undefined) from = t.upTo;
    return tier;
  });
}

/** The 0-based tier a cycle's total of `quantity` reaches: the first whose upTo it does not pass. */
export function tierReached(tiers: readonly ResolvedTier[], quantity: Money): number {
  const index = tiers.findIndex((t) => t.upTo === undefined || quantity.lessThanOrEqualTo(t.upTo));
  return index === -1 ? tiers.length - 1 : index;
}

const cost = (units: Money, tier: ResolvedTier) => units.times(tier.amount).dividedBy(tier.per);

/** The price of a cycle's whole quantity, unrounded. */
export function priceOfQuantity(mode: TierMode, tiers: readonly ResolvedTier[], quantity: Money): Money {
  return sum(linesBetween(mode, tiers, ZERO, quantity).map((line) => line.charge));
}

/** What an event of `quantity` units costs in a cycle that counted `before` units already. */
export function tieredCharge(mode: TierMode, tiers: readonly ResolvedTier[], before: Money, quantity: Money): TieredCharge {
  const after = before.plus(quantity);
  const lines = linesBetween(mode, tiers, before, after);
  return { mode, before, after, lines, amount: sum(lines.map((l) => l.charge)).toDecimalPlaces(CHARGE_SCALE, Money.ROUND_HALF_UP) };
}

function linesBetween(mode: TierMode, tiers: readonly ResolvedTier[], before: Money, after: Money): TierLine[] {
  if (!after.greaterThan(before)) return [];
  const line = (index: number, units: Money): TierLine => {
    const tier = tiers[index]!;
    return { tier: index + 1, units, amount: tier.amount, per: tier.per, charge: cost(units, tier) };
  };
  if (mode === 'graduated') {
    return tiers.flatMap((tier, index) => {
      const low = Money.max(before, tier.from);
      const high = tier.upTo === undefined ? after : Money.min(after, tier.upTo);
      return high.greaterThan(low) ? [line(index, high.minus(low))] : [];
    });
  }
  const reached = tierReached(tiers, after);
  const was = tierReached(tiers, before);
  if (reached === was || before.isZero()) return [line(reached, reached === was ? after.minus(before) : after)];
  // A new tier reprices the whole cycle: all units at its price, less what the earlier units cost at the old one.
  return [line(reached, after), line(was, before.negated())];
}
