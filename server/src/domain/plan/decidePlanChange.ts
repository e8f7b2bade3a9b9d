// Decides a plan change from the account as it stands and the features its cycle used: nothing, a
// change that waits for the cycle's end (or a longer interval that closes the cycle early), or an
// upgrade with its fees and credits. A preview and the change itself read this one decision; the
// shell only writes what it says.
import type { Account, ScheduledChange } from '../account/Account';
import type { Interval, Plan } from '../catalog/Catalog';
import { cycleContaining, periodText } from '../cycle/Cycle';
import { DomainFailure } from '../errors';
import { invoiceTotals, type LineInput } from '../invoice/Invoice';
import { decimalString, type Money } from '../money';
import { hourOf } from '../report/UsageRollup';
import { extraCredits, limitViolations, missingFeatures, type PlanChangeKind, planChangeKind, planLimitsExceeded } from './PlanChange';
import { upgradeFees } from './PlanFee';
import { subscriptionEnded, subscriptionEnding } from '../refusals';

const HOUR_MS = 60 * 60 * 1000;

type Terms = { plan: string; interval: Interval };

export type PlanChangeDecision =
  | { kind: 'none'; view: { account: string; kind: PlanChangeKind; from: Terms; to: Terms; message: string } }
  | { kind: 'scheduled'; view: ScheduledView; scheduled: ScheduledChange; /** The current cycle's new end, where it closes early. */ cycleEndsAt: Date | null }
  | {
      kind: 'upgrade';
      view: UpgradeView;
      fees: ReturnType<typeof upgradeFees>;
      /** The target plan's credits for the rest of the cycle. */
      credits: { amount: Money; expiresAt: Date; reference: string; description: string } | null;
    };

export type ScheduledView = { account: string; kind: 'downgrade' | 'interval_change'; from: Terms; to: Terms; effectiveAt: string; scheduled: boolean; message: string };

export type UpgradeView = Omit<ScheduledView, 'kind'> & {
  kind: 'upgrade';
  invoiceNow: ReturnType<typeof invoiceTotals> | null;
  atCycleEnd: { line: { description: string; amount: string } } | null;
  creditsGranted: string;
};

const intervalText = (interval: Interval) => (interval === 'year' ? 'yearly' : 'monthly');

export function decidePlanChange(input: {
  account: Account;
  current: Plan;
  target: Plan;
  interval: Interval;
  /** Features the account's usage needed in the current cycle. */
  featuresInUse: readonly string[];
  taxRate: Money;
  now: Date;
  /** The target plan is of another catalog version than the account's. */
  newVersion?: boolean;
}): PlanChangeDecision {
  const { account, current, target, interval, now } = input;
  const cycle = cycleContaining(account.anchor, account.interval, now);
  const kind = planChangeKind({ current, currentInterval: account.interval, target, targetInterval: interval, newVersion: input.newVersion === true });
  const from = { plan: current.code, interval: account.interval };
  const to = { plan: target.code, interval };

  if (account.endedAt) throw new DomainFailure(subscriptionEnded(account.endsAt ?? account.endedAt, 'plan changes'));
  if (kind === 'none') {
    return { kind, view: { account: account.id, kind, from, to, message: `The account is on ${current.name}, billed ${intervalText(interval)}, already: nothing changes.` } };
  }
  const limits = limitViolations(target, account.resources);
  const features = missingFeatures(target, input.featuresInUse);
  if (limits.length > 0 || features.length > 0) throw new DomainFailure(planLimitsExceeded({ plan: target, limits, features, field: 'plan' }));

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
    return { kind: 'scheduled', view, scheduled, cycleEndsAt: early ? at : null };
  }

  // An upgrade: the old plan's fee is settled now (its unused part credited when paid ahead, a used
  // part not billed yet billed), and the new plan's rest billed now, or with the cycle in arrears.
  const planFrom = account.planSince && account.planSince.getTime() > cycle.start.getTime() ? account.planSince : cycle.start;
  // The same plan on another catalog version at the same fee: nothing to prorate, the fee paid stands.
  const sameFee = input.newVersion === true && current.code === target.code && sameFeeTerms(current, target, account.interval);
  const fees = sameFee
    ? { now: [], period: cycle, atCycleEnd: undefined, paidUntil: account.feePaidUntil }
    : upgradeFees({ current, target, interval: account.interval, cycle, planFrom, paidUntil: account.feePaidUntil, at: now });
  const creditsGranted = extraCredits({ current, target, interval: account.interval, cycle, at: now });
  const view = {
    account: account.id,
    kind,
    from,
    to,
    effectiveAt: now.toISOString(),
    scheduled: false,
    message: sameFee
      ? `${target.name} as the new catalog version has it applies now; its fee is the same, so nothing is invoiced now.`
      : upgradeMessage({ current, target, now: fees.now, restAtCycleEnd: fees.atCycleEnd !== undefined, rest: { start: now, end: cycle.end } }),
    invoiceNow: fees.now.length > 0 ? invoiceTotals(fees.now, input.taxRate, account.billing.reverseCharge === true) : null,
    atCycleEnd: fees.atCycleEnd ? { line: { description: fees.atCycleEnd.description, amount: decimalString((fees.atCycleEnd.amount ?? fees.atCycleEnd.unitPrice).toDecimalPlaces(2)) } } : null,
    creditsGranted: decimalString(creditsGranted),
  };
  const credits = creditsGranted.greaterThan(0)
    ? {
        amount: creditsGranted,
        expiresAt: cycle.end,
        reference: `upgrade:${now.toISOString()}`,
        description: `${target.name} credits for the rest of the cycle ${periodText({ start: now, end: cycle.end })}`,
      }
    : null;
  return { kind: 'upgrade', view, fees, credits };
}

/** Whether two plans bill the same fee for `interval`, at the same time. */
function sameFeeTerms(current: Plan, target: Plan, interval: Interval): boolean {
  const fee = (plan: Plan) => (plan.price ? plan.price[interval] : undefined);
  const [a, b] = [fee(current), fee(target)];
  return (a === undefined ? b === undefined : b !== undefined && a.equals(b)) && current.feeTiming === target.feeTiming;
}

/** What an upgrade bills, in a sentence: the proration invoice's lines, and the rest with the cycle. */
function upgradeMessage({ current, target, now, restAtCycleEnd, rest }: { current: Plan; target: Plan; now: readonly LineInput[]; restAtCycleEnd: boolean; rest: { start: Date; end: Date } }): string {
  const parts = [`${target.name} applies now.`];
  if (now.length > 0) parts.push(`Invoiced now: ${now.map((line) => line.description).join('; ')}.`);
  if (restAtCycleEnd) parts.push(`${target.name} is invoiced at the cycle's end for ${periodText(rest)}.`);
  if (now.length === 0 && !restAtCycleEnd) parts.push(`Neither ${current.name} nor ${target.name} has a fee to invoice.`);
  return parts.join(' ');
}
