// Invoices: issued when a cycle closes (inside the closing's transaction, so once), listed, read,
// and paid or failed.
import type { Account } from '../domain/account/Account';
import { accountLinks } from '../domain/alerts/accountSignals';
import type { Plan } from '../domain/catalog/Catalog';
import { type Cycle, periodJson } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { amountDue, dueDate, invoiceNumber, invoiceTotals, type LineInput, type PaymentFailure } from '../domain/invoice/Invoice';
import { billsUsage, cycleInvoiceLines } from '../domain/invoice/cycleInvoice';
import { topUpCharge } from '../domain/invoice/topUpInvoice';
import { settle, type AccountBook } from '../domain/ledger/AccountBook';
import { money, type Money, ZERO } from '../domain/money';
import { RECURRING_CHANNELS } from '../domain/report/CostReport';
import { type OutboxMessage, webhookMessage } from '../domain/webhooks/WebhookEvent';
import type { Queryable } from '../store/Database';
import {
  addInvoiceWrites,
  type InvoiceRecord,
  lockInvoice,
  nextSequence,
  type Buyer,
  type Payment,
  readInvoice,
  readInvoices,
  saveInvoicePayment,
  savePaymentIssue,
} from '../store/invoices';
import { sumRollups } from '../store/reports';
import { readAddOnsBought } from '../store/addOnPurchases';
import { readFeesCharged } from '../store/books';
import { addOutboxWrites } from '../store/outbox';
import { addPaymentIssueCleared, readAccount } from '../store/accounts';
import { writeAsIs } from './AccountWrite';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { madeByRequest } from '../audit/RequestTrail';
import { invoicePaid, invoiceVoid } from '../domain/refusals';

function buyerOf(account: Account): Buyer {
  const b = account.billing;
  return {
    name: account.name,
    customerNumber: account.id,
    address: b.address ?? [],
    ...(b.country ? { country: b.country } : {}),
    ...(b.vatId ? { vatId: b.vatId } : {}),
    ...(account.email ? { email: account.email } : {}),
  };
}

/** What a cycle's invoice covers. */
export interface CycleBilling {
  closed: Cycle;
  /** The plan fee lines: what the closed cycle's plan still owes or gets back, the next cycle's fee ahead. */
  planFees: readonly LineInput[];
  /**
   * Where the usage billed starts: the cycle's start, or, on an account's first invoice, the
   * beginning of time: usage dated before the account was opened (history brought along) is
   * billed there, since no earlier cycle of the account ever closes.
   */
  usageFrom: Date;
}

/**
 * The lines of a cycle's invoice, read as they stand: the closing issues them, and the next-bill
 * preview shows them before the cycle ends. `settles` is what of them the balance owes (usage and
 * rents of a postpaid plan), settled when the invoice is issued.
 */
export async function cycleInvoiceDraft(
  tx: Queryable,
  { context, account, plan, billing }: { context: Pick<Context, 'catalog'>; account: Account; plan: Plan; billing: CycleBilling },
): Promise<{ lines: LineInput[]; settles: Money; settledLines: number[] }> {
  const { closed, planFees, usageFrom } = billing;
  const bills = billsUsage(context.catalog, plan);
  const usage = bills
    ? (await sumRollups(tx, { account: account.id, from: usageFrom, to: closed.end }, ['channel', 'service']))
        .filter((s) => !RECURRING_CHANNELS.includes(s.dimensions.channel ?? ''))
        .map((s) => ({ service: s.dimensions.service ?? '', unit: s.unit, chargeable: s.chargeable, amount: s.amount }))
    : [];
  const fees = bills ? await readFeesCharged(tx, account.id, closed) : [];
  const addOns = await readAddOnsBought(tx, account.id, closed);
  return cycleInvoiceLines({ catalog: context.catalog, plan, interval: account.interval, cycle: closed, usage, fees, planFees, addOns });
}

/**
 * Issues the invoice of a closed cycle and settles what it bills from the account's debt; nothing
 * when there is nothing to bill. Runs inside the closing's transaction, on its book; the invoice
 * row goes with the closing's writes.
 */
export async function issueCycleInvoice(
  tx: Queryable,
  input: { context: Pick<Context, 'catalog' | 'newId'>; book: AccountBook; plan: Plan; billing: CycleBilling; writes: Writes; now: Date },
): Promise<{ invoice: InvoiceRecord; message: OutboxMessage } | undefined> {
  const { context, book, plan, billing, writes, now } = input;
  const { lines, settles, settledLines } = await cycleInvoiceDraft(tx, { context, account: book.account, plan, billing });
  if (lines.length === 0) return undefined;

  const issued = await issueInvoice(tx, {
    context,
    account: book.account,
    kind: 'cycle',
    period: billing.closed,
    lines,
    ...(settles.greaterThan(ZERO) ? { settledLines } : {}),
    writes,
    now,
  });
  if (settles.greaterThan(ZERO))
    settle(
      book,
      { amount: settles, reference: issued.invoice.id, description: `Invoice ${issued.invoice.number}`, occurredAt: billing.closed.end },
      context.newId,
    );
  return issued;
}

/** The VAT rate (percent) the account's invoices charge: its own where it has one, the catalog's otherwise. */
export function taxRateOf(account: Account, catalog: Pick<Context['catalog'], 'invoicing'>): Money {
  return account.billing.taxRate !== undefined ? money(account.billing.taxRate) : catalog.invoicing.taxRate;
}

/** What buying `amount` of balance costs the account: net by the catalog's price, its VAT, gross, as the top-up's invoice will bill it. */
export function balanceCharge({ catalog, account, amount }: { catalog: Context['catalog']; account: Account; amount: Money }) {
  return topUpCharge({ catalog, amount, taxRate: taxRateOf(account, catalog), reverseCharge: account.billing.reverseCharge === true });
}

/**
 * Numbers and totals an invoice of these lines, adds it to the writes, and makes its invoice.created
 * message. The number's sequence stays locked until the transaction ends, so that numbers have no
 * gaps: call it after the transaction's reads, where only its writes and commit are left.
 */
export async function issueInvoice(
  tx: Queryable,
  input: {
    context: Pick<Context, 'catalog' | 'newId'>;
    account: Account;
    kind: InvoiceRecord['kind'];
    period: Cycle;
    lines: readonly LineInput[];
    /** The lines (0-based) whose nets it settles from the balance. */
    settledLines?: readonly number[];
    writes: Writes;
    now: Date;
    /** The payment's reference, where the invoice is paid as it is issued (a paid top-up). */
    paidBy?: string;
  },
): Promise<{ invoice: InvoiceRecord; message: OutboxMessage }> {
  const { context, account, kind, period, lines, settledLines = [], writes, now, paidBy } = input;
  const invoicing = context.catalog.invoicing;
  const number = invoiceNumber({ format: invoicing.numberFormat, prefix: invoicing.prefix, sequence: await nextSequence(tx, invoicing.prefix), issuedAt: now });
  const taxRate = taxRateOf(account, context.catalog);
  const invoice: InvoiceRecord = {
    id: madeByRequest(context.newId('inv')),
    number,
    accountId: account.id,
    kind,
    issuedAt: now,
    period: { start: period.start, end: period.end },
    currency: context.catalog.currency,
    seller: { ...invoicing.seller },
    buyer: buyerOf(account),
    dueAt: dueDate(now, account.billing.paymentTermsDays ?? invoicing.paymentTermsDays),
    ...invoiceTotals(lines, taxRate, account.billing.reverseCharge === true),
    ...(paidBy === undefined
      ? { status: 'open' as const, payments: [] }
      : { status: 'paid' as const, payments: [{ status: 'paid' as const, reference: paidBy, at: now.toISOString() }] }),
    voided: null,
    credited: '0.00',
    settledLines: [...settledLines],
    // Issued in the account's language: a later change of the account's locale leaves it as issued.
    locale: account.locale,
    timeZone: account.timeZone,
  };
  addInvoiceWrites(writes, invoice);
  const message = webhookMessage(
    'invoice.created',
    { accountId: account.id, occurredAt: now, newId: context.newId },
    {
      account: account.id,
      invoice: invoice.id,
      number,
      kind,
      period: periodJson(period),
      currency: invoice.currency,
      net: invoice.net,
      tax: invoice.tax,
      gross: invoice.gross,
      links: { ...accountLinks(account.id), invoice: `/v1/invoices/${invoice.id}`, pdf: `/v1/invoices/${invoice.id}.pdf` },
    },
  );
  return { invoice, message };
}

export function invoiceView(invoice: InvoiceRecord) {
  return {
    id: invoice.id,
    number: invoice.number,
    account: invoice.accountId,
    kind: invoice.kind,
    issuedAt: invoice.issuedAt.toISOString(),
    period: periodJson(invoice.period),
    currency: invoice.currency,
    seller: invoice.seller,
    buyer: invoice.buyer,
    dueAt: invoice.dueAt?.toISOString() ?? null,
    lines: invoice.lines,
    taxes: invoice.taxes,
    net: invoice.net,
    tax: invoice.tax,
    gross: invoice.gross,
    notes: invoice.notes,
    status: invoice.status,
    payments: invoice.payments,
    /** The gross its credit notes credited, and what it still asks (nothing once paid or void). */
    credited: invoice.credited,
    due: amountDue(invoice),
    voided: invoice.voided && { at: invoice.voided.at.toISOString(), reason: invoice.voided.reason, keyId: invoice.voided.keyId },
    locale: invoice.locale,
    timeZone: invoice.timeZone,
    rounding: 'Prices are net. Each line rounds once, half up, to the cent; VAT per rate on the sum of its rounded lines, half up to the cent.',
  };
}

export async function listInvoices(context: Context, accountId: string) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  return { invoices: (await readInvoices(context.db, accountId)).map(invoiceView) };
}

export async function getInvoice(context: Context, id: string): Promise<InvoiceRecord> {
  const invoice = await readInvoice(context.db, id);
  if (!invoice) throw new DomainFailure(notFound('invoice', id));
  return invoice;
}

/**
 * Records a payment's outcome. A failure shows on the invoice and on the account (its payment
 * issue) and is announced (invoice.payment_failed); a success clears the account's issue.
 */
export async function recordPayment(
  context: Context,
  input: { invoiceId: string; outcome: { status: 'paid' } | { status: 'failed'; reason: PaymentFailure }; reference?: string | undefined },
) {
  const { outcome, reference } = input;
  return writeAsIs(context, {
    accounts: [],
    run: async ({ tx, now }) => {
      const invoice = await lockInvoice(tx, input.invoiceId);
      if (!invoice) throw new DomainFailure(notFound('invoice', input.invoiceId));
      if (invoice.status === 'paid') throw new DomainFailure(invoicePaid(invoice.number));
      if (invoice.status === 'void') throw new DomainFailure(invoiceVoid(invoice.number, 'payments'));
      const payment: Payment = {
        status: outcome.status,
        ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
        ...(reference ? { reference } : {}),
        at: now.toISOString(),
      };
      const payments = [...invoice.payments, payment];
      await saveInvoicePayment(tx, { id: invoice.id, status: outcome.status, payments });
      const writes = new Writes();
      if (outcome.status === 'failed') {
        await savePaymentIssue(tx, invoice.accountId, { invoice: invoice.id, number: invoice.number, reason: outcome.reason, at: payment.at });
        const message = webhookMessage(
          'invoice.payment_failed',
          { accountId: invoice.accountId, occurredAt: now, newId: context.newId },
          {
            account: invoice.accountId,
            invoice: invoice.id,
            number: invoice.number,
            gross: invoice.gross,
            currency: invoice.currency,
            reason: outcome.reason,
            attempts: payments.length,
            links: accountLinks(invoice.accountId),
          },
        );
        addOutboxWrites(writes, [message], now);
      } else {
        addPaymentIssueCleared(writes, invoice.accountId, invoice.id);
      }
      return { answer: invoiceView({ ...invoice, status: outcome.status, payments }), writes, changed: [invoice.accountId] };
    },
  });
}
