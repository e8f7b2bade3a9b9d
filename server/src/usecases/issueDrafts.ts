// Issues invoices held as drafts (an invoice to a business waits for the buyer's address): all of
// an account's drafts once its address is given (the account update), or one draft when the
// operator asks (refused, naming the field, while the address is still missing). Each is numbered
// then, under the account's lock, after the transaction's reads: the sequence stays gapless.
import type { Account } from '../domain/account/Account';
import { DomainFailure, notFound } from '../domain/errors';
import { missingBuyerDetails } from '../domain/invoice/heldInvoice';
import { invoiceHeld } from '../domain/refusals';
import type { OutboxMessage } from '../domain/webhooks/WebhookEvent';
import type { Queryable } from '../store/Database';
import { type InvoiceRecord, lockDraftInvoices, lockInvoice, readInvoice } from '../store/invoices';
import { addOutboxWrites } from '../store/outbox';
import { Writes } from '../store/Writes';
import { changesNothing } from '../audit/RequestTrail';
import { writeAsIs } from './AccountWrite';
import type { Context, WithCatalog } from './Context';
import { invoiceView, issueDraft } from './invoices';

/** The account's drafts, issued if its details now allow it; the writes and messages join the caller's. */
export async function issueHeldDrafts(
  tx: Queryable,
  { context, account, writes, now }: { context: WithCatalog<'newId'>; account: Account; writes: Writes; now: Date },
): Promise<InvoiceRecord[]> {
  if (missingBuyerDetails(account.billing).length > 0) return [];
  const drafts = await lockDraftInvoices(tx, account.id);
  const issued: InvoiceRecord[] = [];
  const messages: OutboxMessage[] = [];
  for (const draft of drafts) {
    const done = await issueDraft(tx, { context, account, draft, writes, now });
    issued.push(done.invoice);
    messages.push(done.message);
  }
  addOutboxWrites(writes, messages, now);
  return issued;
}

/** The operator issues a draft; an invoice issued already is answered as it stands. */
export async function issueInvoiceDraft(context: Context, invoiceId: string) {
  const found = await readInvoice(context.db, invoiceId);
  if (!found) throw new DomainFailure(notFound('invoice', invoiceId));
  return writeAsIs(context, {
    // The account's lock first, as its closing takes it: a draft and its account's address change in turn.
    accounts: [found.accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(found.accountId)!;
      const invoice = (await lockInvoice(tx, invoiceId))!;
      if (invoice.status !== 'draft') {
        // Issued already (a second click, another process first): answered as it stands.
        changesNothing();
        return { answer: invoiceView(invoice) };
      }
      const missing = missingBuyerDetails(account.billing);
      if (missing.length > 0) throw new DomainFailure(invoiceHeld({ invoice: invoice.id, account: account.id, missing }));
      const writes = new Writes();
      const { invoice: issued, message } = await issueDraft(tx, {
        context: { newId: context.newId, catalog: await context.catalogs.forAccount(account) },
        account,
        draft: invoice,
        writes,
        now,
      });
      addOutboxWrites(writes, [message], now);
      return { answer: invoiceView(issued), writes, changed: [account.id] };
    },
  });
}
