// What closing an account's cycle that ends at `end` decides before it writes anything: the cycle
// closed, the plan it was billed on, whether the subscription ends with it, a scheduled change
// applied (or refused because the account outgrew its plan), the next cycle's plan and terms, and
// the plan fee lines of the closing's invoice. The closing and the next-bill preview both read it,
// so that the bill a customer is shown is the bill the closing issues.
import type { Account } from '../account/Account';
import { type Catalog, accountPlan, findPlan, type Interval, type Plan } from '../catalog/Catalog';
import { type Cycle, cycleContaining } from './Cycle';
import type { LineInput } from '../invoice/Invoice';
import { type LimitViolation, limitViolations, missingFeatures, unfitMessage } from '../plan/PlanChange';
import { closingFees, type PaidUntil } from '../plan/PlanFee';

// The first invoice bills whatever usage came before it: history recorded from before the account.
const BEFORE_ANY_USAGE = new Date(0);

export interface ClosingTerms {
  closed: Cycle;
  /** The whole cycle the closed one's fee is prorated against (a move to a longer interval cuts it short). */
  nominal: Cycle;
  /** The plan the closed cycle is billed on. */
  plan: Plan;
  /** The last cycle of a cancelled subscription: nothing renews. */
  final: boolean;
  /** The scheduled change due now and applied; null when none is due or it was refused. */
  change: NonNullable<Account['scheduledChange']> | null;
  /** A due downgrade refused: the account outgrew the lower plan since it was scheduled. */
  refused: { change: NonNullable<Account['scheduledChange']>; limits: LimitViolation[]; features: string[]; message: string } | undefined;
  nextPlan: Plan;
  /** The catalog version the next cycle is on: a scheduled move to another version applied, or the account's own. */
  nextCatalogVersion: number;
  terms: { interval: Interval; anchor: Date };
  next: Cycle;
  /** The invoice's plan fee lines, and how far the fee is billed after the closing. */
  planFees: LineInput[];
  paidUntil: PaidUntil;
  /** Where the usage billed starts: the cycle's start, or the beginning of time on an account's first invoice. */
  usageFrom: Date;
}

/** The end of the account's current cycle: where its next closing happens. */
export function currentCycleEnd(account: Account): Date {
  return account.cycleEnd ?? cycleContaining(account.anchor, account.interval, account.createdAt).end;
}

/**
 * The end of the current cycle at its full length: where a cycle a move to a longer interval cut
 * short ends again once that change is dropped (null while no closing has set an end).
 */
export function fullCycleEnd(account: Pick<Account, 'anchor' | 'interval' | 'cycleEnd'>): Date | null {
  return account.cycleEnd ? cycleContaining(account.anchor, account.interval, new Date(account.cycleEnd.getTime() - 1)).end : null;
}

/** The cycle that closes at `end`. */
export function cycleClosingAt(account: Account, end: Date): Cycle {
  return { start: cycleContaining(account.anchor, account.interval, new Date(end.getTime() - 1)).start, end };
}

/**
 * The scheduled change due with the closing at `end` that moves the account to another plan: the
 * account may have outgrown that plan, judged on the features the closed cycle used.
 */
export function planChangeDueAt(account: Account, end: Date): NonNullable<Account['scheduledChange']> | null {
  const due = account.scheduledChange && Date.parse(account.scheduledChange.at) <= end.getTime() ? account.scheduledChange : null;
  return due && (due.plan !== account.plan || (due.catalogVersion !== undefined && due.catalogVersion !== account.catalogVersion)) ? due : null;
}

export function closingTerms(input: {
  account: Account;
  catalog: Catalog;
  /** The catalog of the version a due scheduled change moves the account to (its own catalog when none). */
  nextCatalog?: Catalog;
  end: Date;
  /** Features the closed cycle's usage needed; read only where a change to another plan is due (planChangeDueAt). */
  featuresUsed: readonly string[];
}): ClosingTerms {
  const { account, catalog, end } = input;
  const nominal = cycleContaining(account.anchor, account.interval, new Date(end.getTime() - 1));
  const closed = { start: nominal.start, end };
  const plan = accountPlan(catalog, account);

  const final = account.endsAt !== null && account.endsAt.getTime() <= end.getTime();
  // A scheduled change (a downgrade, a new interval) starts with the next cycle; a new interval
  // starts its cycles where the closed one ended.
  const due = account.scheduledChange && Date.parse(account.scheduledChange.at) <= end.getTime() ? account.scheduledChange : null;
  // A downgrade is checked again when it is due: the account may have outgrown the lower plan
  // since it was scheduled. Then it is not applied, and the account stays where it is.
  const toOtherPlan = planChangeDueAt(account, end);
  const nextCatalog = input.nextCatalog ?? catalog;
  const unfit = toOtherPlan ? unfitFor({ catalog: nextCatalog, account, targetCode: toOtherPlan.plan, featuresUsed: input.featuresUsed }) : undefined;
  const change = unfit ? null : due;
  const nextPlan = (change && findPlan(nextCatalog, change.plan)) || plan;
  const ownVersion = account.catalogVersion ?? 1;
  const nextCatalogVersion = change ? (change.catalogVersion ?? ownVersion) : ownVersion;
  const terms =
    change && change.interval !== account.interval ? { interval: change.interval, anchor: end } : { interval: account.interval, anchor: account.anchor };
  const next = cycleContaining(terms.anchor, terms.interval, end);
  const planFrom = account.planSince && account.planSince.getTime() > closed.start.getTime() ? account.planSince : closed.start;
  const fees = closingFees({
    plan,
    interval: account.interval,
    closed,
    nominal,
    planFrom,
    paidUntil: account.feePaidUntil,
    next: final ? undefined : { plan: nextPlan, interval: terms.interval, cycle: next },
  });
  return {
    closed,
    nominal,
    plan,
    final,
    change,
    refused: unfit && due ? { change: due, ...unfit } : undefined,
    nextPlan,
    nextCatalogVersion,
    terms,
    next,
    planFees: fees.lines,
    paidUntil: fees.paidUntil,
    usageFrom: account.cycleStart === null ? BEFORE_ANY_USAGE : closed.start,
  };
}

/** Whether the account has outgrown the plan a downgrade scheduled for the closed cycle's end moves it to. */
function unfitFor({ catalog, account, targetCode, featuresUsed }: { catalog: Catalog; account: Account; targetCode: string; featuresUsed: readonly string[] }) {
  const target = findPlan(catalog, targetCode);
  if (!target) return undefined;
  const limits = limitViolations(target, account.resources);
  const features = missingFeatures(target, featuresUsed);
  return limits.length > 0 || features.length > 0 ? { limits, features, message: unfitMessage(target, limits, features) } : undefined;
}
