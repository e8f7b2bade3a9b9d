// What is stored about an account that its usage now (balance, authorize) is computed from, and the
// periods such a record holds: read from the store, or worked out by a writer that changed it.
import type { Account } from './Account';
import { allowancePeriod } from '../allowance/Allowance';
import { type Catalog, findPlan, type Plan } from '../catalog/Catalog';
import { cycleContaining, cycleKey, type Cycle } from '../cycle/Cycle';
import type { Grant } from '../ledger/drawGrants';
import type { Money } from '../money';
import type { Reservation } from '../reservation/Reservation';

/** What is stored about an account that its usage is computed from, read at one moment. */
export interface AccountRecord {
  account: Account;
  catalog: Catalog;
  plan: Plan;
  grants: Grant[];
  /** Service units used, by `${meter}|${period}`, of the periods current when it was read. */
  used: Map<string, Money>;
  /** Reservations that were active when it was read; some may have expired since. */
  reservations: Reservation[];
  /** Spent in the cycle current when it was read (its key), for an account with a spend limit. */
  spent: { period: string; amount: Money } | undefined;
  /** Tiered services' counts of the cycle current when it was read (its key), by service. */
  tiers: { period: string; used: Map<string, Money> };
}

/** The periods a record of the account taken at `now` holds: its cycle's, and each allowance's; undefined for a plan the catalog lacks. */
export function recordPeriods(
  account: Account,
  catalog: Catalog,
  now: Date,
): { plan: Plan; cycle: Cycle; cycleKey: string; allowances: (readonly [meter: string, period: string])[] } | undefined {
  const plan = findPlan(catalog, account.plan);
  if (!plan) return undefined;
  const cycle = cycleContaining(account.anchor, account.interval, now);
  return { plan, cycle, cycleKey: cycleKey(cycle), allowances: plan.allowances.map((a) => [a.meter, allowancePeriod(a, cycle)] as const) };
}
