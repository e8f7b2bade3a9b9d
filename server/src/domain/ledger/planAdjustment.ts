// An operator's balance adjustment, decided: a credit adds a grant of its own kind (a goodwill
// credit), a debit draws from the grants as usage does (a correction), and every entry says why.
// Two limits: a debit may take the balance down to zero and no further, so a correction never
// leaves debt behind that nothing was used for; and an account whose invoice bills its usage is
// refused, because that invoice is made from the cycle's usage and would see neither.
import { type Account, accountStatus } from '../account/Account';
import type { Catalog, Plan } from '../catalog/Catalog';
import { DomainFailure, validationFailed } from '../errors';
import { billsUsage } from '../invoice/cycleInvoice';
import { decimalString, type Money } from '../money';
import { postpaidAccount } from '../refusals';
import { type BookChanges, changesOf, creditAdjustment, debitAdjustment, lapseExpiredGrants, openBook } from './AccountBook';
import type { Grant } from './drawGrants';
import type { LedgerEntry, NewId } from './LedgerEntry';

export interface AdjustmentRequest {
  /** Signed, never zero: a credit adds, a debit takes. */
  amount: Money;
  reason: string;
  reference: string;
  /** When a credit's grant lapses; null for one that does not (and for every debit). */
  expiresAt: Date | null;
}

export interface AdjustmentPlan {
  changes: BookChanges;
  /** The account after the adjustment, its status decided. */
  after: Account;
  /** The adjustment's own entries (not the lapses of expired grants written with them). */
  entries: LedgerEntry[];
  /** The grant a credit adds; null for a debit. */
  grantId: string | null;
}

/** Decides the adjustment on the locked account and its open grants, or throws the refusal naming what is wrong. */
export function planAdjustment(input: {
  account: Account;
  plan: Plan;
  catalog: Pick<Catalog, 'balanceUnit' | 'currency'>;
  grants: Grant[];
  request: AdjustmentRequest;
  now: Date;
  newId: NewId;
}): AdjustmentPlan {
  const { account, plan, catalog, request, now, newId } = input;
  if (billsUsage(catalog, plan)) throw new DomainFailure(postpaidAccount(plan, 'adjustment'));
  if (request.amount.isZero()) throw new DomainFailure(validationFailed('amount', 'must not be 0'));
  if (request.expiresAt && request.amount.lessThan(0)) {
    throw new DomainFailure(validationFailed('expiresAt', 'only a credit (a positive amount) expires; leave it out for a debit'));
  }
  if (request.expiresAt && request.expiresAt.getTime() <= now.getTime()) throw new DomainFailure(validationFailed('expiresAt', 'must lie in the future'));

  const book = openBook(account, input.grants);
  // What has lapsed is not there to debit: the limit is judged on the balance as it stands now.
  lapseExpiredGrants(book, now, newId);
  const { reason, reference } = request;
  let entries: LedgerEntry[];
  let grantId: string | null = null;
  if (request.amount.greaterThan(0)) {
    grantId = newId('grt');
    entries = creditAdjustment(
      book,
      { grant: { id: grantId, priority: 0, grantedAt: now, expiresAt: request.expiresAt, amount: request.amount }, reference, reason },
      newId,
    );
  } else {
    const taken = request.amount.negated();
    const most = book.account.balance.greaterThan(0) ? book.account.balance : undefined;
    if (!most || taken.greaterThan(most))
      throw new DomainFailure(validationFailed('amount', debitLimitMessage(book.account.balance, most, catalog.balanceUnit)));
    entries = debitAdjustment(book, { amount: taken, reference, reason, occurredAt: now, now }, newId);
  }
  book.account.status = accountStatus(plan.billing, book.account.balance);
  return { changes: changesOf([book]), after: book.account, entries, grantId };
}

function debitLimitMessage(balance: Money, most: Money | undefined, unit: string): string {
  const can = most ? `at most ${decimalString(most)} ${unit} can be debited (amount "-${decimalString(most)}")` : 'nothing can be debited';
  return `a debit may take the balance down to zero and no further: the balance is ${decimalString(balance)} ${unit}, so ${can}`;
}
