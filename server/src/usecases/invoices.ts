// Invoices: issued when a cycle closes (inside the closing's transaction, so once), listed, read,
// and paid or failed.
import type { Account } from '../domain/account/Account';
import { accountLinks } from '../domain/alerts/accountSignals';
import type { Plan } from '../domain/catalog/Catalog';
import { type Cycle, periodJson } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { invoiceNumber, invoiceTotals, type LineInput, type PaymentFailure } from '../domain/invoice/Invoice';
import { billsUsage, cycleInvoiceLines } from '../domain/invoice/cycleInvoice';
import { settle, type AccountBook } from '../domain/ledger/AccountBook';
import { money, ZERO } from '../domain/money';
import { RECURRING_CHANNELS } from '../domain/report/CostReport';
import type { OutboxMessage } from '../domain/webhooks/WebhookEvent';
import type { Queryable } from '../store/Database';
import { addInvoiceWrites, type InvoiceRecord, lockInvoice, nextSequence, type Party, type Payment, readInvoice, readInvoices, saveInvoicePayment, savePaymentIssue } from '../store/invoices';
import { sumRollups } from '../store/reports';
import { addOutboxWrites } from '../store/outbox';
import { readAccount } from '../store/rows';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { madeByRequest } from '../audit/RequestTrail';


function buyerOf(account: Account): Party {
  const b = account.billing;
  return {
    name: account.name,
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
 * Issues the invoice of a closed cycle and settles what it bills from the account's debt; nothing
 * when there is nothing to bill. Runs inside the closing's transaction, on its book; the invoice
 * row goes with the closing's writes.
 */
export async function issueCycleInvoice(
  tx: Queryable,
  context: Pick<Context, 'catalog' | 'newId'>,
  book: AccountBook,
  plan: Plan,
  { closed, planFees, usageFrom }: CycleBilling,
  writes: Writes,
  now: Date,
): Promise<{ invoice: InvoiceRecord; message: OutboxMessage } | undefined> {
  const account = book.account;
  const scope = { account: account.id, from: usageFrom, to: closed.end };
  const usage = billsUsage(context.catalog, plan)
    ? (await sumRollups(tx, scope, ['channel', 'service']))
        .filter((s) => !RECURRING_CHANNELS.includes(s.dimensions.channel ?? ''))
        .map((s) => ({ service: s.dimensions.service ?? '', unit: s.unit, chargeable: s.chargeable, amount: s.amount }))
    : [];
  const fees = billsUsage(context.catalog, plan)
    ? (
        await tx.query<{ description: string; amount: string }>(
          `SELECT min(description) AS description, (-sum(amount))::text AS amount FROM ledger_entries
           WHERE account_id = $1 AND kind = 'fee' AND occurred_at >= $2 AND occurred_at < $3 GROUP BY reference ORDER BY min(occurred_at), reference`,
          [account.id, closed.start.toISOString(), closed.end.toISOString()],
        )
      ).map((f) => ({ description: f.description, amount: money(f.amount) }))
    : [];
  const addOns = (
    await tx.query<{ name: string; quantity: number; unit_price: string }>(
      'SELECT name, quantity, unit_price::text FROM add_on_purchases WHERE account_id = $1 AND purchased_at >= $2 AND purchased_at < $3 ORDER BY purchased_at, id',
      [account.id, closed.start.toISOString(), closed.end.toISOString()],
    )
  ).map((a) => ({ name: a.name, quantity: a.quantity, unitPrice: money(a.unit_price) }));
  const { lines, settles } = cycleInvoiceLines(context.catalog, plan, account.interval, closed, usage, fees, planFees, addOns);
  if (lines.length === 0) return undefined;

  const issued = await issueInvoice(tx, context, account, 'cycle', closed, lines, writes, now);
  if (settles.greaterThan(ZERO)) settle(book, settles, issued.invoice.id, `Invoice ${issued.invoice.number}`, closed.end, context.newId);
  return issued;
}

/**
 * Numbers and totals an invoice of these lines, adds it to the writes, and makes its invoice.created
 * message. The number's sequence stays locked until the transaction ends, so that numbers have no
 * gaps: call it after the transaction's reads, where only its writes and commit are left.
 */
export async function issueInvoice(
  tx: Queryable,
  context: Pick<Context, 'catalog' | 'newId'>,
  account: Account,
  kind: InvoiceRecord['kind'],
  period: Cycle,
  lines: readonly LineInput[],
  writes: Writes,
  now: Date,
): Promise<{ invoice: InvoiceRecord; message: OutboxMessage }> {
  const invoicing = context.catalog.invoicing;
  const number = invoiceNumber(invoicing.numberFormat, invoicing.prefix, await nextSequence(tx, invoicing.prefix), now);
  const taxRate = account.billing.taxRate !== undefined ? money(account.billing.taxRate) : invoicing.taxRate;
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
    ...invoiceTotals(lines, taxRate, account.billing.reverseCharge === true),
    status: 'open',
    payments: [],
  };
  addInvoiceWrites(writes, invoice);
  const message: OutboxMessage = {
    id: context.newId('msg'),
    type: 'invoice.created',
    accountId: account.id,
    occurredAt: now,
    data: {
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
  };
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
    lines: invoice.lines,
    taxes: invoice.taxes,
    net: invoice.net,
    tax: invoice.tax,
    gross: invoice.gross,
    notes: invoice.notes,
    status: invoice.status,
    payments: invoice.payments,
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
export async function recordPayment(context: Context, id: string, outcome: { status: 'paid' } | { status: 'failed'; reason: PaymentFailure }, reference?: string) {
  const now = context.clock.now();
  return context.db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, id);
    if (!invoice) throw new DomainFailure(notFound('invoice', id));
    if (invoice.status === 'paid') {
      throw new DomainFailure({ code: 'refused', reason: 'invoice_paid', message: `Invoice ${invoice.number} is paid already.` });
    }
    const payment: Payment = { status: outcome.status, ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}), ...(reference ? { reference } : {}), at: now.toISOString() };
    const payments = [...invoice.payments, payment];
    await saveInvoicePayment(tx, invoice.id, outcome.status, payments);
    if (outcome.status === 'failed') {
      await savePaymentIssue(tx, invoice.accountId, { invoice: invoice.id, number: invoice.number, reason: outcome.reason, at: payment.at });
      const message: OutboxMessage = {
        id: context.newId('msg'),
        type: 'invoice.payment_failed',
        accountId: invoice.accountId,
        occurredAt: now,
        data: { account: invoice.accountId, invoice: invoice.id, number: invoice.number, gross: invoice.gross, currency: invoice.currency, reason: outcome.reason, attempts: payments.length, links: accountLinks(invoice.accountId) },
      };
      await addOutboxWrites(new Writes(), [message], now).run(tx);
    } else {
      await tx.query(`UPDATE accounts SET payment_issue = NULL WHERE id = $1 AND payment_issue->>'invoice' = $2`, [invoice.accountId, invoice.id]);
    }
    return invoiceView({ ...invoice, status: outcome.status, payments });
  });
}
