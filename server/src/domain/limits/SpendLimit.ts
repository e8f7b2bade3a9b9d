// A postpaid account's spend limit: what it may spend per cycle, in the invoice currency, as the
// cost reports count spend (usage and number rents). Once the cycle's spend and the holds of its
// reservations reach it, new usage that costs anything is refused; usage already in flight is
// still recorded, so spend can end a little past the limit, never by more than what was running.
import type { Account } from '../account/Account';
import { accountLinks } from '../alerts/accountSignals';
import type { Catalog, Plan } from '../catalog/Catalog';
import { type Cycle, periodJson } from '../cycle/Cycle';
import { billsUsage } from '../invoice/cycleInvoice';
import type { NewId } from '../ledger/LedgerEntry';
import { decimalString, type Money } from '../money';
import { type OutboxMessage, webhookMessage } from '../webhooks/WebhookEvent';

export interface SpendState {
  limit: Money;
  /** Charged in the current cycle so far. */
  spent: Money;
  /** What active reservations hold. */
  held: Money;
}

/** Whether a limit applies to accounts on `plan`: postpaid, billed in the invoice currency. */
export function takesSpendLimit(catalog: Pick<Catalog, 'balanceUnit' | 'currency'>, plan: Pick<Plan, 'billing'>): boolean {
  return billsUsage(catalog, plan);
}

/** What the limit leaves to spend in this cycle; zero or less once it is reached. */
export function spendRoom(state: SpendState): Money {
  return state.limit.minus(state.spent).minus(state.held);
}

/** Whether the cycle's spend has reached the limit, for the once-per-cycle webhook. */
export function spendLimitReached(limit: Money | null, spent: Money): limit is Money {
  return limit !== null && spent.greaterThanOrEqualTo(limit);
}

/** The spend_limit.reached message: the cycle's spend has reached the account's limit. */
export function spendLimitReachedMessage({ account, limit, spent, cycle, currency, at, newId }: { account: Account; limit: Money; spent: Money; cycle: Cycle; currency: string; at: Date; newId: NewId }): OutboxMessage {
  return webhookMessage('spend_limit.reached', { accountId: account.id, occurredAt: at, newId }, {
    account: account.id,
    balance: decimalString(account.balance),
    status: account.status,
    limit: decimalString(limit),
    spent: decimalString(spent),
    currency,
    cycle: periodJson(cycle),
    links: accountLinks(account.id),
  });
}
