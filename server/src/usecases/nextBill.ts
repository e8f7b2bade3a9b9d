// The account's next invoice as it stands now: the invoice its current cycle's closing would issue
// if no more usage came, line by line with VAT. It is read through the closing's own terms and
// lines (closingTerms, cycleInvoiceDraft), so what the customer is shown is what the closing bills.
import { inLanguage } from '../domain/invoice/LineText';
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
import { heldFor } from '../domain/invoice/heldInvoice';

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
  const catalog = await context.catalogs.forAccount(account);
  const currency = catalog.currency;
  const reverseCharge = account.billing.reverseCharge === true;
  if (account.endedAt) {
    // The subscription's last cycle is closed and billed: nothing more comes.
    return {
      account: account.id,
      issuesAt: null,
      period: null,
      final: true,
      currency,
      held: null,
      ...invoiceTotals([], taxRateOf(account, catalog), reverseCharge),
    };
  }
  const terms = await readClosingTerms(context.db, { context, account, end: currentCycleEnd(account) });
  const { lines } = await cycleInvoiceDraft(context.db, { context: { catalog }, account, plan: terms.plan, billing: terms });
  return {
    account: account.id,
    /** When the closing issues it: the current cycle's end. */
    issuesAt: terms.closed.end.toISOString(),
    period: periodJson(terms.closed),
    /** The subscription ends with this cycle: the last invoice. */
    final: terms.final,
    currency,
    /**
     * Why the closing would hold it as a draft, unnumbered, were the account as it is now (a
     * business buyer without an address); null when it will be issued.
     */
    held: lines.length === 0 ? null : heldPreview(heldFor(account.billing)),
    ...invoiceTotals(inLanguage(lines, account), taxRateOf(account, catalog), reverseCharge),
  };
}

/** The hold as the preview says it: in the future, the invoice is not drafted yet. */
function heldPreview(held: ReturnType<typeof heldFor>) {
  if (!held) return null;
  return {
    missing: held.missing,
    message: `This invoice will be held as a draft, without a number, until the account's ${held.missing.join(' and ')} is given: an invoice to a business must name the buyer's address (§14 UStG).`,
  };
}

export type NextBill = Awaited<ReturnType<typeof nextBillOf>>;
