// Reports for customers and the operator: costs by any grouping, the running cycle's forecast,
// spikes and the explanation of a charge. All read the hourly rollups (explain reads the event).
import type { Account } from '../domain/account/Account';
import { cycleContaining } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { money } from '../domain/money';
import { costReport, type GroupBy } from '../domain/report/CostReport';
import { explainEvent } from '../domain/report/explain';
import { displayDecimals } from '../domain/catalog/Catalog';
import { forecastCycle } from '../domain/report/forecast';
import { type NamedPeriod, resolvePeriod } from '../domain/report/ReportPeriod';
import { findSpikes } from '../domain/report/spikes';
import { dailyCosts, sumAmounts, sumMeters, sumRollups } from '../store/reports';
import { readAccount } from '../store/accounts';
import { readEvent } from '../store/usageEvents';
import type { Context } from './Context';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Spikes are judged against this many days before `to` unless the caller says otherwise. */
export const DEFAULT_SPIKE_WINDOW_DAYS = 30;

async function accountOrFail(context: Context, id: string): Promise<Account> {
  const account = await readAccount(context.db, id);
  if (!account) throw new DomainFailure(notFound('account', id));
  return account;
}

function periodOrFail(input: { from?: Date | undefined; to?: Date | undefined; period?: NamedPeriod | undefined }, account: Account | undefined, now: Date) {
  const period = resolvePeriod(input, account, now);
  if (!period.ok) throw new DomainFailure(period.error);
  return period;
}

export async function reportCosts(
  context: Context,
  query: { account?: string | undefined; from?: Date | undefined; to?: Date | undefined; period?: NamedPeriod | undefined; groupBy: readonly GroupBy[] },
) {
  const account = query.account === undefined ? undefined : await accountOrFail(context, query.account);
  const { from, to } = periodOrFail(query, account, context.clock.now());
  const scope = { account: account?.id ?? null, from, to };
  const [sums, meters] = await Promise.all([sumRollups(context.db, scope, query.groupBy), sumMeters(context.db, scope)]);
  const { balanceUnit } = account ? await context.catalogs.forAccount(account) : await context.catalogs.latestCatalog();
  return { ...costReport({ account: scope.account, from, to, groupBy: query.groupBy }, sums, meters), currency: balanceUnit };
}

export async function forecastAccount(context: Context, accountId: string) {
  const account = await accountOrFail(context, accountId);
  const now = context.clock.now();
  const cycle = cycleContaining(account.anchor, account.interval, now);
  // Rollups of the current hour hold every event recorded so far (none lies in the future).
  const soFar = await sumAmounts(context.db, { account: account.id, from: cycle.start, to: cycle.end });
  const { balanceUnit } = await context.catalogs.forAccount(account);
  return { account: account.id, currency: balanceUnit, ...forecastCycle({ cycle, now, usageSoFar: money(soFar.usage), feesSoFar: money(soFar.fees) }) };
}

export async function reportSpikes(context: Context, query: { account: string; from?: Date | undefined; to?: Date | undefined; factor: number }) {
  const account = await accountOrFail(context, query.account);
  const now = context.clock.now();
  const to = query.to ?? new Date(Math.floor(now.getTime() / DAY_MS + 1) * DAY_MS);
  const from = query.from ?? new Date(to.getTime() - DEFAULT_SPIKE_WINDOW_DAYS * DAY_MS);
  const period = periodOrFail({ from, to }, account, now);
  const days: string[] = [];
  for (let at = Math.floor(period.from.getTime() / DAY_MS) * DAY_MS; at < period.to.getTime(); at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  const costs = await dailyCosts(context.db, { account: account.id, from: period.from, to: period.to });
  const { balanceUnit } = await context.catalogs.forAccount(account);
  return {
    account: account.id,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    factor: query.factor,
    currency: balanceUnit,
    method: `a day is a spike when it cost more than ${query.factor} times the median of the window's other days (UTC days)`,
    spikes: findSpikes(days, costs, query.factor),
  };
}

export async function explainCharge(context: Context, accountId: string, eventId: string) {
  const [event, account] = await Promise.all([readEvent(context.db, accountId, eventId), readAccount(context.db, accountId)]);
  if (!event || !account) throw new DomainFailure(notFound('event', eventId));
  // In the account's language, to the catalog's display precision; the API's own messages (refusals, errors) stay English.
  const catalog = await context.catalogs.forAccount(account);
  const decimals = displayDecimals(catalog, catalog.balanceUnit);
  return explainEvent(event, catalog.balanceUnit, { locale: account.locale, timeZone: account.timeZone, decimals });
}
