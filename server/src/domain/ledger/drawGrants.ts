// Order of consumption for credit grants (top-ups, plan credit packages): by priority (lowest
// number first), then soonest expiry (no expiry last), then oldest first.
import { Money, minOf, ZERO } from '../money';

/** Where a grant came from: a plan's package, a top-up, an operator's adjustment, a credit note refunded to the balance. */
export type GrantKind = 'plan_credits' | 'topup' | 'adjustment' | 'refund';

export interface Grant {
  id: string;
  kind: GrantKind;
  priority: number;
  grantedAt: Date;
  expiresAt: Date | null;
  amount: Money;
  remaining: Money;
}

export interface GrantDraw {
  grantId: string;
  amount: Money;
}

export function isUsable(grant: Grant, at: Date): boolean {
  return grant.remaining.greaterThan(0) && (grant.expiresAt === null || grant.expiresAt.getTime() > at.getTime());
}

export function consumptionOrder(a: Grant, b: Grant): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const aExpiry = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const bExpiry = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (aExpiry !== bExpiry) return aExpiry < bExpiry ? -1 : 1;
  if (a.grantedAt.getTime() !== b.grantedAt.getTime()) return a.grantedAt.getTime() - b.grantedAt.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Draws `amount` from the usable grants in consumption order. Returns the draws and what no grant
 * covered (owed: the prepaid balance goes negative by it, or it accrues for a postpaid invoice).
 */
export function drawFromGrants(amount: Money, grants: readonly Grant[], at: Date): { draws: GrantDraw[]; uncovered: Money } {
  const draws: GrantDraw[] = [];
  let left = amount;
  for (const grant of [...grants].filter((g) => isUsable(g, at)).sort(consumptionOrder)) {
    if (left.isZero()) break;
    const taken = minOf(grant.remaining, left);
    draws.push({ grantId: grant.id, amount: taken });
    left = left.minus(taken);
  }
  return { draws, uncovered: left.isNegative() ? ZERO : left };
}
