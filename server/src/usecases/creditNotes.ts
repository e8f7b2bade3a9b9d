// Credit notes: part or all of an issued invoice given back, as a document of its own, numbered in
// its own gapless sequence. issueCreditNote issues one inside any write that holds the invoice's
// account (a route's request, or a correction of an invoiced cycle); createCreditNote is the route's.
import { accountStatus } from '../domain/account/Account';
import { accountLinks } from '../domain/alerts/accountSignals';
import { type Catalog, findPlan } from '../domain/catalog/Catalog';
import { DomainFailure, idempotencyConflict, notFound, validationFailed } from '../domain/errors';
import { billsUsage } from '../domain/invoice/cycleInvoice';
import { creditedByLine, type CreditRequest, planCreditNote, unsettledBy } from '../domain/invoice/CreditNote';
import { invoiceNumber } from '../domain/invoice/Invoice';
import { type AccountBook, changesOf, credit, lapseExpiredGrants, openBook, reverseSettlement } from '../domain/ledger/AccountBook';
import { decimalString, money, type Money, sum } from '../domain/money';
import { balanceUnits } from '../domain/recharge/TopUpRequest';
import { invoiceDraft, invoiceVoid } from '../domain/refusals';
import { type OutboxMessageOf, webhookMessage } from '../domain/webhooks/WebhookEvent';
import { changesNothing, currentKeyId, madeByRequest } from '../audit/RequestTrail';
import { addBookWrites, readSettledLeft } from '../store/books';
import {
  addCreditNoteWrites,
  type CreditNoteRecord,
  readCreditNote,
  readCreditNoteByReference,
  readCreditNotesOfAccount,
  readCreditNotesOfInvoice,
  type Refund,
} from '../store/creditNotes';
import type { Queryable } from '../store/Database';
import { addInvoiceCreditedWrites, creditNoteSequence, type InvoiceRecord, isIssued, lockInvoice, nextSequence } from '../store/invoices';
import { readAccount } from '../store/accounts';
import { readOpenGrants } from '../store/rows';
import { Writes } from '../store/Writes';
import type { Context, WithCatalog } from './Context';
import { getInvoice } from './invoices';
import { watchAccounts } from './watchAccounts';
import { takeBackTopUp } from './topUpTakeBack';
import { writeAccounts } from './writeAccounts';

export interface CreditNoteIssue {
  tx: Queryable;
  context: WithCatalog<'newId'>;
  /** The invoice credited, read under lockInvoice in this transaction. */
  invoice: InvoiceRecord;
  /** The book of the invoice's account, open in the caller's write: the note's ledger entries go in it, the caller writes it. */
  book: AccountBook;
  credit: CreditRequest;
  reason: string;
  refund: Refund;
  /** The note's row and the invoice's credited sum go here. */
  writes: Writes;
  now: Date;
  /** The voided event the note corrects, named on its ledger entries. */
  eventId?: string;
  /** The caller's idempotency key: a resend answers this note. */
  reference?: string;
}

/**
 * Issues a credit note on the invoice, refused (writing nothing) past what is left to credit. The
 * part that credits charges the invoice settled from the balance takes that settlement back and
 * gives the charges back (unsettlement, then void), so invoices less credit notes still equal what
 * the ledger charged. `refund: 'balance'` adds the credited net to the balance as a refund grant.
 * Takes the number last, after its reads, so the sequence stays locked only until the commit.
 */
export async function issueCreditNote(issue: CreditNoteIssue): Promise<{ creditNote: CreditNoteRecord; message: OutboxMessageOf<'credit_note.created'> }> {
  const { tx, context, invoice, book, reason, refund, writes, now } = issue;
  if (!isIssued(invoice)) throw new DomainFailure(invoiceDraft(invoice.id, 'credit notes'));
  if (invoice.status === 'void') throw new DomainFailure(invoiceVoid(invoice.number, 'credit notes'));
  const credited = creditedByLine(await readCreditNotesOfInvoice(tx, invoice.id));
  const totals = planCreditNote({ invoice, credited, request: issue.credit });
  if (invoice.kind === 'topup') {
    // The note takes the top-up's credits back; giving them to the balance again would undo that.
    if (refund === 'balance') throw new DomainFailure(validationFailed('refund', `cannot be balance: invoice ${invoice.number} billed a top-up, whose credits the note takes back; refund external`));
    const creditedBefore = sum([...credited.values()]);
    const field = 'amount' in issue.credit ? 'amount' : 'lines';
    await takeBackTopUp(tx, { context, book, invoice, creditedBefore, creditedNow: money(totals.net), reason, now, field });
  }
  const units = refund === 'balance' ? refundUnits(context.catalog, book.account.plan, invoice, money(totals.net)) : undefined;
  const settledLeft = await readSettledLeft(tx, invoice.accountId, invoice.id);
  const unsettled = unsettledBy({ invoice, settledLines: invoice.settledLines, credited, note: totals.lines, settledLeft });

  const invoicing = context.catalog.invoicing;
  const sequence = await nextSequence(tx, creditNoteSequence(invoicing.prefix));
  const number = invoiceNumber({ format: invoicing.creditNoteNumberFormat, prefix: invoicing.prefix, sequence, issuedAt: now });
  const id = madeByRequest(context.newId('crn'));
  reverseSettlement(
    book,
    { amount: unsettled, reference: invoice.id, description: `Credit note ${number} on invoice ${invoice.number}`, reason, occurredAt: now, eventId: issue.eventId ?? null },
    context.newId,
  );
  let refunded: CreditNoteRecord['refunded'] = null;
  if (units) {
    const grant = { id: context.newId('grt'), kind: 'refund' as const, priority: 0, grantedAt: now, expiresAt: null, amount: units };
    credit(book, { grant, kind: 'refund', reference: id, description: `Credit note ${number} on invoice ${invoice.number}`, reason }, context.newId);
    refunded = { amount: decimalString(units), unit: context.catalog.balanceUnit, grantId: grant.id };
  }
  const creditNote: CreditNoteRecord = {
    id,
    number,
    accountId: invoice.accountId,
    invoice: {
      id: invoice.id,
      number: invoice.number,
      issuedAt: invoice.issuedAt.toISOString(),
      period: { start: invoice.period.start.toISOString(), end: invoice.period.end.toISOString() },
    },
    issuedAt: now,
    currency: invoice.currency,
    seller: invoice.seller,
    buyer: invoice.buyer,
    ...totals,
    reason,
    refund,
    refunded,
    unsettled: decimalString(unsettled),
    keyId: currentKeyId(),
    reference: issue.reference ?? null,
    asked: issue.reference === undefined ? null : askedOf(issue.credit, refund),
    // A correction reads in the language of the invoice it corrects.
    locale: invoice.locale,
    timeZone: invoice.timeZone,
  };
  addCreditNoteWrites(writes, creditNote);
  addInvoiceCreditedWrites(writes, { id: invoice.id, gross: creditNote.gross });
  const message = webhookMessage(
    'credit_note.created',
    { accountId: invoice.accountId, occurredAt: now, newId: context.newId },
    {
      account: invoice.accountId,
      creditNote: id,
      number,
      invoice: invoice.id,
      invoiceNumber: invoice.number,
      currency: invoice.currency,
      net: creditNote.net,
      tax: creditNote.tax,
      gross: creditNote.gross,
      reason,
      refund,
      refunded: creditNote.refunded?.amount ?? null,
      links: { ...accountLinks(invoice.accountId), ...creditNoteLinks(creditNote) },
    },
  );
  return { creditNote, message };
}

/**
 * The credited net in the balance's unit. Refused, naming `refund`: for an unpaid invoice (the note
 * lowers what it asks instead), for a plan whose balance is invoiced (a grant would pay its debt,
 * never the invoice), and where the catalog sets no price for its balance unit.
 */
function refundUnits(catalog: Catalog, planCode: string, invoice: InvoiceRecord, net: Money): Money {
  if (invoice.status !== 'paid') {
    throw new DomainFailure(
      validationFailed('refund', `cannot be balance: invoice ${invoice.number} is not paid, so the credit note lowers what it asks; refund external`),
    );
  }
  const plan = findPlan(catalog, planCode);
  if (plan && billsUsage(catalog, plan)) {
    throw new DomainFailure(
      validationFailed(
        'refund',
        `cannot be balance: ${plan.name} is billed after use, so its balance is invoiced and a refund to it would reach no invoice; refund external`,
      ),
    );
  }
  const units = balanceUnits(catalog, net);
  if (!units)
    throw new DomainFailure(
      validationFailed('refund', `cannot be balance: the catalog sets no price for ${catalog.balanceUnit} (topUps.price); refund external`),
    );
  return units;
}

/** What a request asked of a note, as stored to compare a resend with: decimals as their strings. */
function askedOf(credit: CreditRequest, refund: Refund) {
  const lines = 'lines' in credit ? credit.lines.map((l) => ('quantity' in l ? { line: l.line, quantity: decimalString(l.quantity) } : { line: l.line, amount: decimalString(l.amount) })) : undefined;
  return { ...(lines ? { lines } : { amount: decimalString((credit as { amount: Money }).amount) }), refund };
}

/** The first thing a resend under the same reference asks differently, if anything. */
function differs(first: unknown, again: ReturnType<typeof askedOf>): { field: string; first: unknown; again: unknown } | undefined {
  const stored = (first ?? {}) as Record<string, unknown>;
  for (const field of ['lines', 'amount', 'refund'] as const) {
    if (JSON.stringify(stored[field]) !== JSON.stringify(again[field as keyof typeof again])) return { field, first: stored[field], again: again[field as keyof typeof again] };
  }
  return undefined;
}

/** A credit note on the invoice, asked for by a request: see issueCreditNote. With a reference, a resend answers the first note. */
export async function createCreditNote(context: Context, input: { invoiceId: string; credit: CreditRequest; reason: string; refund: Refund; reference?: string }) {
  // The account's lock orders notes on its invoices, and their refunds, with its other writes.
  const { accountId } = await getInvoice(context, input.invoiceId);
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const invoice = (await lockInvoice(tx, input.invoiceId))!;
      if (input.reference !== undefined) {
        const first = await readCreditNoteByReference(tx, invoice.id, input.reference);
        if (first) {
          const conflict = differs(first.asked, askedOf(input.credit, input.refund));
          if (conflict) throw new DomainFailure(idempotencyConflict({ what: `Credit note ${input.reference}`, ...conflict }));
          changesNothing();
          return { answer: { note: creditNoteView(first), duplicate: true } };
        }
      }
      const account = accounts.get(accountId)!;
      const book = openBook(account, (await readOpenGrants(tx, [accountId])).get(accountId) ?? []);
      lapseExpiredGrants(book, now, context.newId);
      const writes = new Writes();
      const catalog = await context.catalogs.forAccount(account);
      const { creditNote, message } = await issueCreditNote({
        tx,
        context: { newId: context.newId, catalog },
        invoice,
        book,
        credit: input.credit,
        reason: input.reason,
        refund: input.refund,
        writes,
        now,
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
      });
      const plan = findPlan(catalog, account.plan);
      // A refund can bring a paused prepaid account back above zero.
      if (plan) book.account.status = accountStatus(plan.billing, book.account.balance);
      addBookWrites(writes, { changes: changesOf([book]), recordedAt: now });
      await watchAccounts(tx, { context, changes: [{ before: account, after: book.account, allowanceUsed: new Map() }], messages: [message], writes, now });
      return { answer: { note: creditNoteView(creditNote), duplicate: false }, writes, changed: [accountId] };
    },
  });
}

function creditNoteLinks(note: Pick<CreditNoteRecord, 'id' | 'invoice'>) {
  return { creditNote: `/v1/credit-notes/${note.id}`, pdf: `/v1/credit-notes/${note.id}.pdf`, invoice: `/v1/invoices/${note.invoice.id}` };
}

export function creditNoteView(note: CreditNoteRecord) {
  return {
    id: note.id,
    number: note.number,
    account: note.accountId,
    invoice: note.invoice,
    issuedAt: note.issuedAt.toISOString(),
    currency: note.currency,
    seller: note.seller,
    buyer: note.buyer,
    lines: note.lines,
    taxes: note.taxes,
    net: note.net,
    tax: note.tax,
    gross: note.gross,
    notes: note.notes,
    reason: note.reason,
    refund: note.refund,
    refunded: note.refunded,
    unsettled: note.unsettled,
    keyId: note.keyId,
    locale: note.locale,
    timeZone: note.timeZone,
    links: creditNoteLinks(note),
    rounding:
      'Amounts credited are positive. Each line rounds once, half up, to the cent; VAT per rate on the sum of its rounded lines, half up to the cent, as on the invoice.',
  };
}

export async function getCreditNote(context: Context, id: string): Promise<CreditNoteRecord> {
  const note = await readCreditNote(context.db, id);
  if (!note) throw new DomainFailure(notFound('credit_note', id));
  return note;
}

export async function listInvoiceCreditNotes(context: Context, invoiceId: string) {
  return { creditNotes: (await readCreditNotesOfInvoice(context.db, invoiceId)).map(creditNoteView) };
}

export async function listAccountCreditNotes(context: Context, accountId: string) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  return { creditNotes: (await readCreditNotesOfAccount(context.db, accountId)).map(creditNoteView) };
}
