// Plan changes: preview or apply. An upgrade applies at once (a proration invoice that credits the
// old plan's fee paid ahead and bills the new plan's rest, see PlanFee; the packages' difference
// in credits for the rest of the cycle); a move to yearly billing at the next whole hour (the
// current cycle closes early); a downgrade or a move to monthly billing is scheduled for the
// cycle's end. Scheduled changes can be cancelled. Any change is refused while the account does
// not fit the target plan's limits or uses a feature it lacks.
import type { Account } from '../domain/account/Account';
import { accountLinks } from '../domain/alerts/accountSignals';
import { findPlan, type Interval, type Plan } from '../domain/catalog/Catalog';
import { cycleContaining, periodText } from '../domain/cycle/Cycle';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { subscriptionEnded, subscriptionEnding, unknownPlan } from '../domain/refusals';
import { invoiceTotals, type LineInput } from '../domain/invoice/Invoice';
import { upgradeFees } from '../domain/plan/PlanFee';
import { changesOf, credit, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money } from '../domain/money';
import { extraCredits, limitViolations, missingFeatures, planChangeKind, planLimitsExceeded } from '../domain/plan/PlanChange';
import type { OutboxMessage } from '../domain/webhooks/WebhookEvent';
import { addBookWrites } from '../store/books';
import { readCycleEnd } from '../store/cycles';
import type { Queryable } from '../store/Database';
import { addOutboxWrites } from '../store/outbox';
import { lockAccounts, readOpenGrants } from '../store/rows';
import { Writes } from '../store/Writes';
import { hourOf } from '../domain/report/UsageRollup';

const HOUR_MS = 60 * 60 * 1000;
import type { Context } from './Context';
import { changesNothing } from '../audit/RequestTrail';
import { assertNoCycleDue, withCyclesClosed } from './closeDueFirst';
import { featuresUsed } from './featuresUsed';
import { invoiceView, issueInvoice } from './invoices';

export interface PlanChangeInput {
  plan: string;
  interval?: Interval | undefined;
  preview?: boolean | undefined;
}

const intervalText = (interval: Interval) => (interval === 'year' ? 'yearly' : 'monthly');

export async function changePlan(context: Context, accountId: string, input: PlanChangeInput) {
  const target = findPlan(context.catalog, input.plan);
  if (!target) throw new DomainFailure(validationFailed('plan', `unknown plan '${input.plan}'; the catalog has ${context.catalog.plans.map((p) => p.code).join(', ')}`));
  const outcome = await withCyclesClosed(context, (unclosable) => context.db.transaction(async (tx) => {
    const account = (await lockAccounts(tx, [accountId])).get(accountId);
    if (!account) throw new DomainFailure(notFound('account', accountId));
    assertNoCycleDue([account], context.clock.now(), unclosable);
    const current = findPlan(context.catalog, account.plan);
    if (!current) throw new DomainFailure(unknownPlan(account.plan));
    const interval = input.interval ?? account.interval;
    const now = context.clock.now();
    const cycle = cycleContaining(account.anchor, account.interval, now);
    const kind = planChangeKind(current, account.interval, target, interval);
    const from = { plan: current.code, interval: account.interval };
    const to = { plan: target.code, interval };

    if (account.endedAt) throw new DomainFailure(subscriptionEnded(account.endsAt ?? account.endedAt, 'plan changes'));
    if (kind === 'none') {
      changesNothing();
      return { applied: false, view: { account: account.id, kind, from, to, message: `The account is on ${current.name}, billed ${intervalText(interval)}, already: nothing changes.` } };
    }
    const limits = limitViolations(target, account.resources);
    const features = missingFeatures(target, await featuresUsed(tx, context, account, cycle.start, cycle.end));
    if (limits.length > 0 || features.length > 0) throw new DomainFailure(planLimitsExceeded(target, limits, features, 'plan'));

    if (kind === 'downgrade' || kind === 'interval_change') {
      if (account.endsAt) {
        throw new DomainFailure(subscriptionEnding(account.endsAt, 'changing its plan'));
      }
      // A longer interval is an upgrade: it starts at the next whole hour (cycles start on whole
      // hours), where the current cycle closes early, its plan fee prorated to then. Anything else
      // waits for the cycle's end.
      const early = kind === 'interval_change' && interval === 'year';
      const at = early ? (hourOf(now).getTime() === now.getTime() ? now : new Date(hourOf(now).getTime() + HOUR_MS)) : cycle.end;
      const scheduled = { plan: target.code, interval, at: at.toISOString(), requestedAt: now.toISOString() };
      const view = {
        account: account.id,
        kind,
        from,
        to,
        effectiveAt: scheduled.at,
        scheduled: !early,
        message: early
          ? `${target.name}, billed yearly, starts at ${scheduled.at}: the current cycle closes then and is invoiced for ${periodText({ start: cycle.start, end: at })}.`
          : `${target.name}, billed ${intervalText(interval)}, starts with the next cycle on ${scheduled.at.slice(0, 10)}; until then the account keeps ${current.name}.`,
      };
      if (input.preview) {
      changesNothing();
      return { applied: false, view: { ...view, preview: true } };
    }
      // Closing early: the current cycle now ends at the change.
      await tx.query('UPDATE accounts SET scheduled_change = $2::jsonb, cycle_end = COALESCE($3::timestamptz, cycle_end) WHERE id = $1', [
        account.id,
        JSON.stringify(scheduled),
        early ? at.toISOString() : null,
      ]);
      const message: OutboxMessage = { id: context.newId('msg'), type: 'plan.change_scheduled', accountId: account.id, occurredAt: now, data: { ...view, links: accountLinks(account.id) } };
      await addOutboxWrites(new Writes(), [message], now).run(tx);
      return { applied: true, view };
    }

    // An upgrade: the old plan's fee is settled now (its unused part credited when paid ahead, a used
    // part not billed yet billed), and the new plan's rest billed now, or with the cycle in arrears.
    const planFrom = account.planSince && account.planSince.getTime() > cycle.start.getTime() ? account.planSince : cycle.start;
    const fees = upgradeFees({ current, target, interval: account.interval, cycle, planFrom, paidUntil: account.feePaidUntil, at: now });
    const rate = account.billing.taxRate ?? decimalString(context.catalog.invoicing.taxRate);
    const creditsGranted = extraCredits(current, target, account.interval, cycle, now);
    const view = {
      account: account.id,
      kind,
      from,
      to,
      effectiveAt: now.toISOString(),
      scheduled: false,
      message: upgradeMessage(current, target, fees.now, fees.atCycleEnd !== undefined, { start: now, end: cycle.end }),
      invoiceNow: fees.now.length > 0 ? invoiceTotals(fees.now, money(rate), account.billing.reverseCharge === true) : null,
      atCycleEnd: fees.atCycleEnd ? { line: { description: fees.atCycleEnd.description, amount: decimalString((fees.atCycleEnd.amount ?? fees.atCycleEnd.unitPrice).toDecimalPlaces(2)) } } : null,
      creditsGranted: decimalString(creditsGranted),
    };
    if (input.preview) {
      changesNothing();
      return { applied: false, view: { ...view, preview: true } };
    }

    const book = openBook(account, (await readOpenGrants(tx, [account.id])).get(account.id) ?? []);
    if (creditsGranted.greaterThan(0)) {
      credit(
        book,
        { id: context.newId('grt'), kind: 'plan_credits', priority: target.credits?.priority ?? 0, grantedAt: now, expiresAt: cycle.end, amount: creditsGranted },
        'plan_credits',
        `upgrade:${now.toISOString()}`,
        `${target.name} credits for the rest of the cycle ${periodText({ start: now, end: cycle.end })}`,
        context.newId,
      );
    }
    const messages: OutboxMessage[] = [];
    const writes = new Writes();
    let invoice = null;
    if (fees.now.length > 0) {
      const issued = await issueInvoice(tx, context, account, 'proration', fees.period, fees.now, writes, now);
      messages.push(issued.message);
      invoice = invoiceView(issued.invoice);
    }
    messages.push({ id: context.newId('msg'), type: 'plan.changed', accountId: account.id, occurredAt: now, data: { account: account.id, from, to, kind, effectiveAt: view.effectiveAt, links: accountLinks(account.id) } });
    addBookWrites(writes, changesOf([book]), now);
    addOutboxWrites(writes, messages, now);
    await writes.run(tx);
    await tx.query('UPDATE accounts SET plan = $2, plan_since = $3, scheduled_change = NULL, fee_paid_until = $4 WHERE id = $1', [
      account.id,
      target.code,
      now.toISOString(),
      fees.paidUntil?.toISOString() ?? null,
    ]);
    return { applied: true, view: { ...view, invoiceNow: invoice } };
  }));
  if (outcome.applied) context.snapshots.changed([accountId]);
  return outcome.view;
}

/** What an upgrade bills, in a sentence: the proration invoice's lines, and the rest with the cycle. */
function upgradeMessage(current: Plan, target: Plan, now: readonly LineInput[], restAtCycleEnd: boolean, rest: { start: Date; end: Date }): string {
  const parts = [`${target.name} applies now.`];
  if (now.length > 0) parts.push(`Invoiced now: ${now.map((line) => line.description).join('; ')}.`);
  if (restAtCycleEnd) parts.push(`${target.name} is invoiced at the cycle's end for ${periodText(rest)}.`);
  if (now.length === 0 && !restAtCycleEnd) parts.push(`Neither ${current.name} nor ${target.name} has a fee to invoice.`);
  return parts.join(' ');
}

/** Cancels a scheduled change; says so when there was none. */
export async function cancelPlanChange(context: Context, accountId: string) {
  return context.db.transaction(async (tx) => {
    const account = (await lockAccounts(tx, [accountId])).get(accountId);
    if (!account) throw new DomainFailure(notFound('account', accountId));
    const had = account.scheduledChange !== null;
    if (!had) changesNothing();
    await dropScheduledChange(tx, account);
    return { account: accountId, cancelled: had, message: had ? 'The scheduled plan change is cancelled.' : 'No plan change was scheduled.' };
  });
}

/** Forgets a scheduled change, and gives back its full length to a cycle a longer interval had cut short. */
export async function dropScheduledChange(tx: Queryable, account: Account): Promise<void> {
  const end = await readCycleEnd(tx, account.id);
  const full = end ? cycleContaining(account.anchor, account.interval, new Date(end.getTime() - 1)).end : null;
  await tx.query('UPDATE accounts SET scheduled_change = NULL, cycle_end = COALESCE($2, cycle_end) WHERE id = $1', [account.id, full?.toISOString() ?? null]);
}
