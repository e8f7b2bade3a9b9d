// Auto-recharge: how much to ask for when the balance falls below the line, within the monthly
// limit, and when repeated failures switch it off.
import { type Money, minOf, ZERO } from '../money';

export interface AutoRecharge {
  enabled: boolean;
  threshold: Money;
  /** A fixed amount, or a target balance whose whole gap one request closes. */
  amount: Money | null;
  targetBalance: Money | null;
  monthlyLimit: Money;
  timeoutSeconds: number;
  failures: number;
}

/** Failed requests in a row after which auto-recharge switches itself off. */
export const MAX_FAILURES = 3;

/**
 * The amount to request now, or undefined: not enabled, balance not below the threshold, a request
 * still open, or nothing left of the month's limit (`requestedThisMonth` counts requests not failed).
 */
export function rechargeAmount({ settings, balance, openRequest, requestedThisMonth }: { settings: AutoRecharge; balance: Money; openRequest: boolean; requestedThisMonth: Money }): Money | undefined {
  if (!settings.enabled || openRequest || !balance.lessThan(settings.threshold)) return undefined;
  const wanted = settings.amount ?? settings.targetBalance!.minus(balance);
  const room = settings.monthlyLimit.minus(requestedThisMonth);
  const amount = minOf(wanted, room);
  return amount.greaterThan(ZERO) ? amount : undefined;
}

/** The calendar month (UTC) a request counts against: its first instant. */
export function limitMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
