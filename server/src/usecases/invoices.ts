// Invoices: issued when a cycle closes (inside the closing's transaction, so once), listed, read,
// and paid or failed.
import type { Account } from '../domain/account/Account';
import { accountLinks } from '../domain/alerts/accountSignals';
import type { Catalog, Plan } from '../domain/catalog/Catalog';
import { type Cycle, periodJson } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { amountDue, dueDate, invoiceNumber, invoiceTotals, type LineInput, type PaymentFailure } from '../domain/invoice/Invoice';
import { billsUsage, cycleInvoiceLines, type IncludedUse } from '../domain/invoice/cycleInvoice';
import { inLanguage } from '../domain/invoice/LineText';
import { allowancePeriod, includedUnits, inMeterUnits } from '../domain/allowance/Allowance';
import { withExtras } from '../domain/allowance/AllowanceExtras';
import { readAllowanceUsed } from '../store/usageEvents';
import { topUpCharge } from '../domain/invoice/topUpInvoice';
import { settle, type AccountBook } from '../domain/ledger/AccountBook';
import { money, type Money, ZERO } from '../domain/money';
import { RECURRING_CHANNELS } from '../domain/report/CostReport';
import { type OutboxMessage, webhookMessage } from '../domain/webhooks/WebhookEvent';
import type { Queryable } from '../store/Database';
import {
  addDraftIssueWrites,
  addInvoiceWrites,
  invoiceName,
  type InvoiceRecord,
  type IssuedInvoice,
  isIssued,
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
import type { Context, WithCatalog } from './Context';
import { madeByRequest } from '../audit/RequestTrail';
import { invoiceDraft, invoicePaid, invoiceVoid } from '../domain/refusals';
import { type Held, heldFor } from '../domain/invoice/heldInvoice';

export function buyerOf(account: Account): Buyer {
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
  { context, account, plan, billing }: { context: WithCatalog; account: Account; plan: Plan; billing: CycleBilling },
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
  const included = await readIncludedUse(tx, { account, plan, closed });
  return cycleInvoiceLines({
    catalog: context.catalog,
    plan,
    interval: account.interval,
    cycle: closed,
    usage,
    fees,
    planFees,
    addOns,
    included,
    accountPrices: account.prices,
  });
}

/**
 * What the closed cycle drew on each of the plan's per-cycle allowances (add-on packs bought for it
 * included); an allowance for the account's whole life (a trial's) is no cycle's to show.
 */
async function readIncludedUse(tx: Queryable, { account, plan, closed }: { account: Account; plan: Plan; closed: Cycle }): Promise<IncludedUse[]> {
  const allowances = withExtras(plan, account.allowanceExtras, closed).allowances.filter((a) => !('total' in a.included));
  const periods = allowances.map((a) => [a.meter, allowancePeriod(a, closed)] as const);
  const used = await readAllowanceUsed(tx, account.id, periods);
  return allowances.map((a) => {
    const included = includedUnits(a, account.interval);
    return {
      unit: a.unit,
      used: inMeterUnits(used.get(`${a.meter}|${allowancePeriod(a, closed)}`) ?? ZERO, a),
      included: included === 'unlimited' ? included : inMeterUnits(included, a),
    };
  });
}

/**
 * Issues the invoice of a closed cycle and settles what it bills from the account's debt; nothing
 * when there is nothing to bill. Runs inside the closing's transaction, on its book; the invoice
 * row goes with the closing's writes.
 */
export async function issueCycleInvoice(
  tx: Queryable,
  input: { context: WithCatalog<'newId'>; book: AccountBook; plan: Plan; billing: CycleBilling; writes: Writes; now: Date },
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
      { amount: settles, reference: issued.invoice.id, description: `Invoice ${invoiceName(issued.invoice)}`, occurredAt: billing.closed.end },
      context.newId,
    );
  return issued;
}

/** The VAT rate (percent) the account's invoices charge: its own where it has one, the catalog's otherwise. */
export function taxRateOf(account: Account, catalog: Pick<Catalog, 'invoicing'>): Money {
  return account.billing.taxRate !== undefined ? money(account.billing.taxRate) : catalog.invoicing.taxRate;
}

/** What buying `amount` of balance costs the account: net by the catalog's price, its VAT, gross, as the top-up's invoice will bill it. */
export function balanceCharge({ catalog, account, amount }: { catalog: Catalog; account: Account; amount: Money }) {
  return topUpCharge({ catalog, amount, taxRate: taxRateOf(account, catalog), reverseCharge: account.billing.reverseCharge === true });
}

/**
 * Numbers and totals an invoice of these lines, adds it to the writes, and makes its invoice.created
 * message. The number's sequence stays locked until the transaction ends, so that numbers have no
 * gaps: call it after the transaction's reads, where only its writes and commit are left. An unpaid
 * invoice to a business buyer whose address is missing is held instead: a draft, unnumbered, with
 * invoice.draft_blocked saying why; the account's address (or the operator) issues it later.
 */
export async function issueInvoice(
  tx: Queryable,
  input: {
    context: WithCatalog<'newId'>;
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
  const { context, account, kind, period, settledLines = [], writes, now, paidBy } = input;
  const lines = inLanguage(input.lines, account);
  // A top-up's invoice answers the top-up at once (a paid one is the receipt of a payment made): it is not held.
  const held = kind !== 'topup' && paidBy === undefined ? heldFor(account.billing) : null;
  const { logo: _logo, ...seller } = context.catalog.invoicing.seller;
  const draft: InvoiceRecord = {
    id: madeByRequest(context.newId('inv')),
    number: null,
    accountId: account.id,
    kind,
    issuedAt: now,
    period: { start: period.start, end: period.end },
    currency: context.catalog.currency,
    // The logo stays in the catalog: the documents draw it from there, not from every invoice's row.
    seller,
    buyer: buyerOf(account),
    dueAt: null,
    ...invoiceTotals(lines, taxRateOf(account, context.catalog), account.billing.reverseCharge === true),
    status: 'draft',
    held,
    payments: [],
    voided: null,
    credited: '0.00',
    settledLines: [...settledLines],
    // Issued in the account's language: a later change of the account's locale leaves it as issued.
    locale: account.locale,
    timeZone: account.timeZone,
  };
  if (held && kind !== 'topup') {
    addInvoiceWrites(writes, draft);
    return { invoice: draft, message: draftBlockedMessage({ ...draft, kind }, held, { account, now, newId: context.newId }) };
  }
  const invoice = await numbered(tx, { context, account, draft, now });
  const paid =
    paidBy === undefined ? invoice : { ...invoice, status: 'paid' as const, payments: [{ status: 'paid' as const, reference: paidBy, at: now.toISOString() }] };
  addInvoiceWrites(writes, paid);
  return { invoice: paid, message: createdMessage(paid, { account, now, newId: context.newId }) };
}

/**
 * Issues a held draft to the account as it is now (its address given): numbered now, issued and due
 * from now, the buyer and the VAT as the account says now; the lines and what they settled stay.
 */
export async function issueDraft(
  tx: Queryable,
  { context, account, draft, writes, now }: { context: WithCatalog<'newId'>; account: Account; draft: InvoiceRecord; writes: Writes; now: Date },
): Promise<{ invoice: IssuedInvoice; message: OutboxMessage }> {
  // The lines keep their rounded nets: totalled again, only the VAT follows the account's rate now.
  const lines = draft.lines.map((l) => ({
    description: l.description,
    quantity: money(l.quantity),
    unit: l.unit,
    unitPrice: money(l.unitPrice),
    amount: money(l.net),
  }));
  const totals = invoiceTotals(lines, taxRateOf(account, context.catalog), account.billing.reverseCharge === true);
  const invoice = await numbered(tx, { context, account, draft: { ...draft, ...totals, buyer: buyerOf(account) }, now });
  addDraftIssueWrites(writes, invoice);
  return { invoice, message: createdMessage(invoice, { account, now, newId: context.newId }) };
}

/** The draft with the next number of the sequence, issued now and due by the account's terms. */
async function numbered(
  tx: Queryable,
  { context, account, draft, now }: { context: WithCatalog; account: Account; draft: InvoiceRecord; now: Date },
): Promise<IssuedInvoice> {
  const invoicing = context.catalog.invoicing;
  const number = invoiceNumber({ format: invoicing.numberFormat, prefix: invoicing.prefix, sequence: await nextSequence(tx, invoicing.prefix), issuedAt: now });
  return { ...draft, number, status: 'open', held: null, issuedAt: now, dueAt: dueDate(now, account.billing.paymentTermsDays ?? invoicing.paymentTermsDays) };
}

type About = { account: Account; now: Date; newId: Context['newId'] };

function invoiceLinks(invoice: InvoiceRecord) {
  return { ...accountLinks(invoice.accountId), invoice: `/v1/invoices/${invoice.id}`, pdf: `/v1/invoices/${invoice.id}.pdf` };
}

function createdMessage(invoice: IssuedInvoice, { account, now, newId }: About): OutboxMessage {
  return webhookMessage(
    'invoice.created',
    { accountId: account.id, occurredAt: now, newId },
    {
      account: account.id,
      invoice: invoice.id,
      number: invoice.number,
      kind: invoice.kind,
      period: periodJson(invoice.period),
      currency: invoice.currency,
      net: invoice.net,
      tax: invoice.tax,
      gross: invoice.gross,
      links: invoiceLinks(invoice),
    },
  );
}

function draftBlockedMessage(
  invoice: InvoiceRecord & { kind: Exclude<InvoiceRecord['kind'], 'topup'> },
  held: Held,
  { account, now, newId }: About,
): OutboxMessage {
  return webhookMessage(
    'invoice.draft_blocked',
    { accountId: account.id, occurredAt: now, newId },
    {
      account: account.id,
      invoice: invoice.id,
      kind: invoice.kind,
      period: periodJson(invoice.period),
      currency: invoice.currency,
      net: invoice.net,
      tax: invoice.tax,
      gross: invoice.gross,
      missing: held.missing,
      message: held.message,
      links: { ...invoiceLinks(invoice), issue: `/v1/invoices/${invoice.id}/issue` },
    },
  );
}

export function invoiceView(invoice: InvoiceRecord) {
  return {
    id: invoice.id,
    number: invoice.number,
    account: invoice.accountId,
    kind: invoice.kind,
    /** Null while it is a draft: it is issued (and numbered) once it is no longer held. */
    issuedAt: invoice.status === 'draft' ? null : invoice.issuedAt.toISOString(),
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
    /** Why a draft waits: the account's fields to give, and a sentence saying so; null once issued. */
    held: invoice.held,
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
      if (!isIssued(invoice)) throw new DomainFailure(invoiceDraft(invoice.id, 'payments'));
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
