// An account is one customer of the operator: its plan, billing interval, cycle anchor and the
// cached balance (always equal to the sum of its ledger entries).
import type { Interval } from '../catalog/Catalog';
import type { Money } from '../money';

export type AccountStatus = 'active' | 'paused';

export interface Account {
  id: string;
  name: string;
  /** Where the operator's workflows write to the account's owner; null when not given. */
  email: string | null;
  /** The operator's own string facts about the account, e.g. its payment provider's customer ID. */
  metadata: Record<string, string>;
  plan: string;
  interval: Interval;
  anchor: Date;
  status: AccountStatus;
  balance: Money;
  /** What usage drew beyond every grant; a top-up pays it back first. balance = grants - debt. */
  debt: Money;
  createdAt: Date;
}

/**
 * A prepaid account whose balance cannot cover usage is paused: services that cost credits wait
 * for a top-up. A postpaid account accrues for its invoice and is never paused for its balance.
 */
export function accountStatus(billing: 'prepaid' | 'postpaid', balance: Money): AccountStatus {
  return billing === 'prepaid' && balance.lessThanOrEqualTo(0) ? 'paused' : 'active';
}
