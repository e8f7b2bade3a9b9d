// The account's next invoice as it stands now: the invoice its current cycle's closing would issue
// if no more usage came, line by line with VAT. It is read through the closing's own terms and
// lines (closingTerms, cycleInvoiceDraft), so what the customer is shown is what the closing bills.
import type { Account } from '../domain/account/Account';
import { cycleDue } from '../domain/cycle/BilledCycle';
import { periodJson } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { invoiceTotals } from '../domain/invoice/Invoice';
import { readAccount } from '../store/accounts';
import { currentCycleEnd } from '../domain/cycle/closingTerms';
import { readClosingTerms } from './readClosingTerms';
import { closeBeforeReading } from './writeAccounts';
import type { Context } from './Context';
import { cycleInvoiceDraft, taxRateOf } from './invoices';

export async function readNextBill(context: Context, accountId: string) {
  let account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  // A cycle that has ended is closed first: its invoice is issued, and the next one is the next cycle's.
  if (cycleDue(account, context.clock.now())) {
    await closeBeforeReading(context, accountId);
    account = (await readAccount(context.db, accountId)) ?? account;
  }
  return nextBillOf(context, account);
}

/** The next bill of an account read after its due cycles were closed (as readAccountUsage reads it). */
export async function nextBillOf(context: Context, account: Account) {
  const currency = context.catalog.currency;
  const reverseCharge = account.billing.reverseCharge === true;
  if (account.endedAt) {
    // The subscription's last cycle is closed and billed: nothing more comes.
    return { account: account.id, issuesAt: null, period: null, final: true, currency, ...invoiceTotals([], taxRateOf(account, context.catalog), reverseCharge) };
  }
  const terms = await readClosingTerms(context.db, { context, account, end: currentCycleEnd(account) });
  const { lines } = await cycleInvoiceDraft(context.db, { context, account, plan: terms.plan, billing: terms });
  return {
    account: account.id,
    /** When the closing issues it: the current cycle's end. */
    issuesAt: terms.closed.end.toISOString(),
    period: periodJson(terms.closed),
    /** The subscription ends with this cycle: the last invoice. */
    final: terms.final,
    currency,
    ...invoiceTotals(lines, taxRateOf(account, context.catalog), reverseCharge),
  };
}

export type NextBill = Awaited<ReturnType<typeof nextBillOf>>;
