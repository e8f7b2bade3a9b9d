// Recommends plans for an account from its template and integrations (account metadata
// `template`, `integrations` as a comma-separated list) and its measured usage: the last closed
// cycle, or, before any cycle closed, its usage so far (a trial). A conversation is counted once,
// whatever it used (suggested replies, autopilot, the playground), as rating charges it.
import { type Catalog, findPlan } from '../domain/catalog/Catalog';
import { type OnceGroup, readOnceUses } from '../store/chargeOnceUses';
import { periodText } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { unknownPlan } from '../domain/refusals';
import { recommend } from '../domain/plan/recommend';
import { RECURRING_CHANNELS } from '../domain/report/CostReport';
import { hourOf } from '../domain/report/UsageRollup';
import { readClosings } from '../store/cycles';
import { sumRollups } from '../store/reports';
import { readAccount } from '../store/accounts';
import type { Context } from './Context';

const HOUR_MS = 60 * 60 * 1000;

/** The catalog's charge-once groups: each key field and the services it groups. */
function onceGroups(catalog: Catalog): OnceGroup[] {
  const groups = new Map<string, OnceGroup & { services: string[] }>();
  for (const service of catalog.services) {
    if (!service.chargeOnce) continue;
    const id = `${service.chargeOnce.group}\u0000${service.chargeOnce.key}`;
    const group = groups.get(id) ?? { key: service.chargeOnce.key, services: [] };
    group.services.push(service.code);
    groups.set(id, group);
  }
  return [...groups.values()];
}

export async function recommendPlans(context: Context, accountId: string) {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  // The plans of the account's own version: those a plan change (keeping the version) moves it to.
  const catalog = await context.catalogs.forAccount(account);
  if (!findPlan(catalog, account.plan)) throw new DomainFailure(unknownPlan(account.plan));
  const closings = await readClosings(context.db, account.id);
  const last = closings[closings.length - 1];
  const period = last
    ? { from: last.cycle_start, to: last.cycle_end, basis: `your last cycle (${periodText({ start: last.cycle_start, end: last.cycle_end })})` }
    : (() => {
        const from = hourOf(account.createdAt);
        const to = new Date(hourOf(context.clock.now()).getTime() + HOUR_MS);
        return { from, to, basis: `your usage so far (${periodText({ start: from, end: to })})` };
      })();
  const sums = await sumRollups(context.db, { account: account.id, from: period.from, to: period.to }, ['channel', 'service']);
  // A conversation is charged once whatever it used: those services are counted per conversation.
  const groups = onceGroups(catalog);
  const once = await readOnceUses(context.db, { accountId: account.id, from: period.from, to: period.to, groups });
  const countedOnce = new Set(groups.flatMap((g) => g.services));
  const usage = sums
    .filter((s) => !RECURRING_CHANNELS.includes(s.dimensions.channel ?? '') && !countedOnce.has(s.dimensions.service ?? ''))
    .map((s) => ({ service: s.dimensions.service ?? '', quantity: s.quantity }))
    .sort((a, b) => a.service.localeCompare(b.service));
  const template = account.metadata['template'];
  const integrations = (account.metadata['integrations'] ?? '').split(',').map((i) => i.trim()).filter(Boolean);
  return {
    account: account.id,
    basis: { from: period.from.toISOString(), to: period.to.toISOString(), description: period.basis },
    template: template ?? null,
    integrations,
    currency: catalog.currency,
    balanceUnit: catalog.balanceUnit,
    method:
      'each plan priced for the same measured usage: its fee for the interval plus the usage beyond what it includes, at its rates; ranked by fit, then by being made for the template or integrations, then by cost',
    recommendations: recommend({
      catalog,
      interval: account.interval,
      usage,
      account: { template, integrations, resources: account.resources, prices: account.prices },
      basis: period.basis,
      once,
    }),
  };
}
