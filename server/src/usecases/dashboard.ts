// What one account's dashboard shows, read at one moment: what it must say first (a pause, a
// failed payment, a balance running out), balance and allowances, cost so far and forecast, the
// next invoice as it stands, buying balance (prepaid), cost by channel, daily cost over the
// cycle, rented numbers, invoices and the latest charges explained. Also mints the signed links
// that open it.
import { type DashboardGrant, DEFAULT_LINK_HOURS, INVOICE_TICKET_MINUTES, signDashboardLink, signInvoiceTicket } from '../domain/access/DashboardLink';
import { DomainFailure, notFound } from '../domain/errors';
import { periodJson } from '../domain/cycle/Cycle';
import { dashboardNotices } from '../domain/dashboard/notices';
import { money } from '../domain/money';
import { displayDecimals } from '../domain/catalog/Catalog';
import { localFormat } from '../domain/display/localFormat';
import { REVERSE_CHARGE_NOTE } from '../domain/invoice/Invoice';
import type { GroupBy } from '../domain/report/CostReport';
import { dailySeries } from '../domain/report/dailySeries';
import { explainEvent, paidFromSentence } from '../domain/report/explain';
import { readAccount } from '../store/accounts';
import { readInvoices } from '../store/invoices';
import { readPhoneNumbers } from '../store/phoneNumbers';
import { readRecentEvents } from '../store/usageEvents';
import type { Context } from './Context';
import { phoneNumberView } from './phoneNumbers';
import { balanceView, readAccountUsage } from './readAccountUsage';
import { forecastAccount, reportCosts } from './reports';
import { nextBillOf } from './nextBill';
import { topUpOffer } from './topUpRequests';
import { readLatestTopUpRequest } from '../store/topUpRequests';

/** Charges the dashboard lists; older ones are in the cost report and the ledger. */
export const RECENT_CHARGES = 10;
/** A year of monthly invoices. */
export const RECENT_INVOICES = 12;

/** A report group's value of one of the dimensions it was grouped by. */
const dimension = (group: object, name: GroupBy): string => String((group as Partial<Record<GroupBy, string | null>>)[name] ?? '');

/** Where a dashboard's invoice page opens without its Authorization header: a ticket for that invoice alone, minted now. */
function invoicePage(invoice: { id: string; accountId: string }, secret: Buffer, now: Date): string {
  const ticket = signInvoiceTicket({ account: invoice.accountId, invoice: invoice.id, expiresAt: new Date(now.getTime() + INVOICE_TICKET_MINUTES * 60 * 1000) }, secret);
  return `/dashboard/invoices/${encodeURIComponent(invoice.id)}.html?ticket=${encodeURIComponent(ticket)}`;
}

export async function dashboardSummary(context: Context, accountId: string, linkSecret: Buffer) {
  const usage = await readAccountUsage(context, accountId);
  const now = context.clock.now();
  const cycle = { account: accountId, period: 'current_cycle' as const };
  const [byChannel, byDay, forecast, recent, numbers, invoices, nextBill, latestRequest] = await Promise.all([
    reportCosts(context, { ...cycle, groupBy: ['channel'] }),
    reportCosts(context, { ...cycle, groupBy: ['day', 'channel'] }),
    forecastAccount(context, accountId),
    readRecentEvents(context.db, accountId, RECENT_CHARGES),
    readPhoneNumbers(context.db, accountId, false),
    readInvoices(context.db, accountId),
    // The account as readAccountUsage read it, its due cycles closed: not read again.
    nextBillOf(context, usage.account),
    readLatestTopUpRequest(context.db, accountId),
  ]);
  const { account, plan, catalog } = usage;
  // Amounts in the balance unit show to the catalog's display precision, in the account's language; the figures stay exact.
  const decimals = displayDecimals(catalog, catalog.balanceUnit);
  const display = { locale: account.locale, timeZone: account.timeZone, decimals };
  return {
    asOf: now.toISOString(),
    currency: catalog.balanceUnit,
    /** The language and time zone the page speaks and reads times in: the account's. */
    locale: account.locale,
    timeZone: account.timeZone,
    /** Fraction digits the page shows: amounts in the balance unit, and money (the invoice currency). */
    display: { balanceDecimals: decimals, moneyDecimals: displayDecimals(catalog, catalog.currency) },
    account: {
      id: account.id,
      name: account.name,
      plan: plan.code,
      planName: plan.name,
      interval: account.interval,
      status: account.status,
      paymentIssue: account.paymentIssue,
    },
    notices: dashboardNotices({
      status: account.status,
      billing: plan.billing,
      paymentIssue: account.paymentIssue,
      available: usage.available,
      runRatePerDay: money(forecast.runRatePerDay),
      cycleEnd: usage.cycle.end,
      now,
      unit: catalog.balanceUnit,
      display,
      held: { drafts: invoices.filter((i) => i.status === 'draft').length, next: nextBill.held !== null },
    }),
    balance: balanceView(usage, now, catalog.balanceUnit),
    forecast,
    // The invoice's notes (the reverse charge) in the account's language, as its document will print them.
    nextBill: { ...nextBill, notes: nextBill.notes.map((note) => (note === REVERSE_CHARGE_NOTE ? localFormat(display).texts.document.reverseCharge : note)) },
    topUp: account.endedAt ? null : topUpOffer({ catalog: catalog, plan, interval: account.interval, available: usage.available, latest: latestRequest, now }),
    channels: {
      groups: byChannel.groups.map((g) => ({ channel: dimension(g, 'channel'), name: g.channelName, amount: g.amount, charges: g.charges })),
      totals: byChannel.totals,
    },
    daily: dailySeries(
      usage.cycle,
      byDay.groups.map((g) => ({ day: dimension(g, 'day'), channel: dimension(g, 'channel'), amount: g.amount })),
    ),
    phoneNumbers: numbers.map((n) => phoneNumberView(n, catalog.balanceUnit)),
    invoices: invoices.slice(0, RECENT_INVOICES).map((i) => ({
      id: i.id,
      // A draft has no number and is not issued yet; `held` says why.
      number: i.number,
      issuedAt: i.status === 'draft' ? null : i.issuedAt.toISOString(),
      held: i.held,
      period: periodJson(i.period),
      currency: i.currency,
      gross: i.gross,
      status: i.status,
      dueAt: i.dueAt?.toISOString() ?? null,
      // Judged on the server's clock, not the browser's.
      overdue: (i.status === 'open' || i.status === 'failed') && i.dueAt !== null && i.dueAt.getTime() < now.getTime(),
      pdf: `/dashboard/api/invoices/${i.id}.pdf`,
      page: invoicePage(i, linkSecret, now),
    })),
    recentCharges: recent.map((event) => {
      const explained = explainEvent(event, catalog.balanceUnit, display);
      return {
        event: explained.event,
        type: explained.type,
        timestamp: explained.timestamp,
        cost: explained.cost,
        summary: explained.summary,
        explanations: explained.charges.map((c) => c.explanation),
        // What opening the charge shows: the event as recorded, what paid it, and any correction.
        data: explained.data,
        paid: explained.paidFrom ? (paidFromSentence(explained.paidFrom, catalog.balanceUnit, display) ?? null) : null,
        recordedAt: event.recordedAt.toISOString(),
        version: event.version ?? 1,
        voided: event.voided ? { at: event.voided.at.toISOString(), reason: event.voided.reason } : null,
      };
    }),
  };
}

export type DashboardSummary = Awaited<ReturnType<typeof dashboardSummary>>;

export async function createDashboardLink(context: Context, { secret, accountId, hours = DEFAULT_LINK_HOURS }: { secret: Buffer; accountId: string; hours?: number }) {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  const grant: DashboardGrant = { account: account.id, expiresAt: new Date(context.clock.now().getTime() + hours * 60 * 60 * 1000) };
  return { account: grant.account, token: signDashboardLink(grant, secret), expiresAt: grant.expiresAt.toISOString() };
}
