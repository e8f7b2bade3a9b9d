// Tiered prices over a cycle's quantity. Graduated: each unit is priced in the tier it falls in.
// Volume: every unit of the cycle is priced at the tier the cycle's total reaches. An event's charge
// is what the cycle's price comes to with it less what the cycle was charged so far,
// price(before + q) - charged, worked out per tier (multiply before divide, rounded to the charge
// scale). The cycle keeps its charged total beside its quantity (tier_usage), so that after any
// events and voids the cycle is charged price(standing quantity), the invariant a void keeps too
// (see tierVoid): a void lowers the quantity, and units counted before were not all charged at one price.
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
  /**
   * What the cycle was charged before the event less the price of its quantity before it, settled
   * in this charge (a void of an earlier event, or a price changed in the cycle); absent when none.
   */
  adjustment?: Money;
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

/** The price of a cycle's quantity as it is charged: rounded to the charge scale. */
export function chargedPrice(mode: TierMode, tiers: readonly ResolvedTier[], quantity: Money): Money {
  return priceOfQuantity(mode, tiers, quantity).toDecimalPlaces(CHARGE_SCALE, Money.ROUND_HALF_UP);
}

/**
 * What an event of `quantity` units costs in a cycle that counted `before` units already and was
 * charged `charged` for them (the price of `before` when not given): the cycle's price after the
 * event less that. An event of no units changes nothing and costs nothing.
 */
export function tieredCharge(mode: TierMode, tiers: readonly ResolvedTier[], before: Money, quantity: Money, charged?: Money): TieredCharge {
  const after = before.plus(quantity);
  const lines = linesBetween(mode, tiers, before, after);
  if (lines.length === 0) return { mode, before, after, lines, amount: ZERO };
  const priceBefore = chargedPrice(mode, tiers, before);
  const adjustment = charged === undefined ? ZERO : charged.minus(priceBefore);
  const amount = chargedPrice(mode, tiers, after).minus(priceBefore).minus(adjustment);
  return { mode, before, after, lines, amount, ...(adjustment.isZero() ? {} : { adjustment }) };
}

/** A cycle's tier count: its chargeable quantity and what it was charged for it. */
export interface TierCount {
  quantity: Money;
  charged: Money;
}

/**
 * Voiding `units` of a cycle's quantity: the cycle is charged the price of what stands after, so
 * the void gives back what it was charged less that, price(q) - price(q - units) when the charges
 * kept the invariant. That is not the voided event's own charge: the event was charged at the
 * cycle's count when it came, and the units left are priced from the first tier again.
 */
export function tierVoid(mode: TierMode, tiers: readonly ResolvedTier[], count: TierCount, units: Money): TierCount & { givenBack: Money } {
  const left = count.quantity.minus(units);
  const quantity = left.isNegative() ? ZERO : left;
  const charged = chargedPrice(mode, tiers, quantity);
  return { quantity, charged, givenBack: count.charged.minus(charged) };
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
