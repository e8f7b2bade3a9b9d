// Correcting a top-up's invoice corrects the top-up: a void, or a credit note, takes back the share
// of the credits it bought that the correction credits (the whole top-up, once the whole invoice is
// credited), out of the grant it added. Credits already spent cannot be taken back: the correction
// is refused, naming the field, and nothing is written.
import { DomainFailure, validationFailed } from '../domain/errors';
import { topUpCreditsTakenBack } from '../domain/invoice/topUpInvoice';
import { type AccountBook, takeBackFromGrant } from '../domain/ledger/AccountBook';
import { decimalString, money, type Money } from '../domain/money';
import type { Queryable } from '../store/Database';
import type { InvoiceRecord } from '../store/invoices';
import { readTopUpOfInvoice } from '../store/topUps';
import type { WithCatalog } from './Context';

export async function takeBackTopUp(
  tx: Queryable,
  input: {
    context: WithCatalog<'newId'>;
    book: AccountBook;
    invoice: InvoiceRecord;
    /** Net the invoice's earlier credit notes credited, and net this correction credits. */
    creditedBefore: Money;
    creditedNow: Money;
    reason: string;
    now: Date;
    /** The request's field a refusal names. */
    field: string;
  },
): Promise<void> {
  const { context, book, invoice, reason, now } = input;
  if (invoice.kind !== 'topup') return;
  const topUp = await readTopUpOfInvoice(tx, invoice.id);
  if (!topUp) return;
  const units = topUpCreditsTakenBack({ topUp: money(topUp.amount), invoiceNet: money(invoice.net), creditedBefore: input.creditedBefore, creditedNow: input.creditedNow });
  const unit = context.catalog.balanceUnit;
  const taken = takeBackFromGrant(
    book,
    { grantId: topUp.grant.id, amount: units, reference: invoice.id, description: `Top-up taken back: invoice ${invoice.number} corrected`, reason, occurredAt: now },
    context.newId,
  );
  if (!taken) {
    const left = book.grants.find((g) => g.id === topUp.grant.id)?.remaining ?? money(0);
    throw new DomainFailure(
      validationFailed(
        input.field,
        `takes back ${decimalString(units)} ${unit} of the top-up invoice ${invoice.number} billed, but the top-up holds only ${decimalString(left)} ${unit} now: the rest is spent`,
      ),
    );
  }
}
