// Voids an unpaid invoice (open, or its payment failed). It stays as issued, with its status void
// and when, why and by which API key; it asks for nothing any more. What it settled from the
// balance is taken back and those charges given back (an unsettlement, then a void entry: the
// balance ends where it was, and the account owes nothing for them). Voiding again answers the
// first void and writes nothing; a paid invoice is corrected by a credit note instead. A top-up's
// invoice takes its credits back (see topUpTakeBack).
import { accountLinks } from '../domain/alerts/accountSignals';
import { DomainFailure } from '../domain/errors';
import { changesOf, openBook, reverseSettlement } from '../domain/ledger/AccountBook';
import { decimalString, money, sum } from '../domain/money';
import { accountStatus } from '../domain/account/Account';
import { findPlan } from '../domain/catalog/Catalog';
import { readCreditNotesOfInvoice } from '../store/creditNotes';
import { takeBackTopUp } from './topUpTakeBack';
import { watchAccounts } from './watchAccounts';
import { invoiceDraft, invoicePaid } from '../domain/refusals';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { changesNothing, currentKeyId } from '../audit/RequestTrail';
import { addPaymentIssueCleared } from '../store/accounts';
import { addBookWrites, readSettledLeft } from '../store/books';
import { addInvoiceVoidWrites, isIssued, lockInvoice, type Voided } from '../store/invoices';
import { readOpenGrants } from '../store/rows';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { getInvoice, invoiceView } from './invoices';
import { writeAccounts } from './writeAccounts';

export async function voidInvoice(context: Context, { invoiceId, reason }: { invoiceId: string; reason: string }) {
  // The account's lock orders this write with the account's others (credit notes, closings).
  const { accountId } = await getInvoice(context, invoiceId);
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const invoice = (await lockInvoice(tx, invoiceId))!;
      if (invoice.status === 'void') {
        changesNothing();
        return { answer: invoiceView(invoice) };
      }
      if (!isIssued(invoice)) throw new DomainFailure(invoiceDraft(invoice.id, 'a void'));
      if (invoice.status === 'paid') throw new DomainFailure(invoicePaid(invoice.number, 'void'));

      const account = accounts.get(accountId)!;
      const unsettled = await readSettledLeft(tx, accountId, invoice.id);
      const writes = new Writes();
      const book = openBook(account, (await readOpenGrants(tx, [accountId])).get(accountId) ?? []);
      reverseSettlement(book, { amount: unsettled, reference: invoice.id, description: `Invoice ${invoice.number} void`, reason, occurredAt: now }, context.newId);
      // A top-up's invoice void takes back the credits it billed that its credit notes did not.
      const creditedBefore = sum((await readCreditNotesOfInvoice(tx, invoice.id)).map((note) => money(note.net)));
      const catalog = await context.catalogs.forAccount(account);
      await takeBackTopUp(tx, {
        context: { newId: context.newId, catalog },
        book,
        invoice,
        creditedBefore,
        creditedNow: money(invoice.net).minus(creditedBefore),
        reason,
        now,
        field: 'invoice',
      });
      const plan = findPlan(catalog, account.plan);
      if (plan) book.account.status = accountStatus(plan.billing, book.account.balance);
      addBookWrites(writes, { changes: changesOf([book]), recordedAt: now });
      const voided: Voided = { at: now, reason, keyId: currentKeyId() };
      addInvoiceVoidWrites(writes, { id: invoice.id, voided });
      // A failed payment of this invoice no longer asks the customer for anything.
      addPaymentIssueCleared(writes, accountId, invoice.id);
      const message = webhookMessage(
        'invoice.voided',
        { accountId, occurredAt: now, newId: context.newId },
        {
          account: accountId,
          invoice: invoice.id,
          number: invoice.number,
          currency: invoice.currency,
          gross: invoice.gross,
          reason,
          unsettled: decimalString(unsettled),
          links: { ...accountLinks(accountId), invoice: `/v1/invoices/${invoice.id}` },
        },
      );
      // A top-up taken back can pause a prepaid account, or cross an alert threshold.
      await watchAccounts(tx, { context, changes: [{ before: account, after: book.account, allowanceUsed: new Map() }], messages: [message], writes, now });
      return { answer: invoiceView({ ...invoice, status: 'void', voided }), writes, changed: [accountId] };
    },
  });
}
