// When a plan's fee is billed, and the invoice lines that bill it. A fee is paid up front by
// default (seed 003: an invoice when the cycle starts; overage follows at the period's end); a
// plan may bill it in arrears instead (`feeTiming: arrears` in the catalog). Either way an account
// remembers how far its fee is billed (`paidUntil`), so that every second of a plan is billed
// once: a closing bills what is not billed yet, credits what was billed past a cycle cut short,
// and bills the next cycle ahead; an upgrade credits the unused part of a fee paid ahead.
import type { Interval, Plan } from '../catalog/Catalog';
import type { Cycle } from '../cycle/Cycle';
import { described } from '../invoice/LineText';
import type { LineInput } from '../invoice/Invoice';
import { money, Money, ZERO } from '../money';
import { proratedFee, shareOf } from './PlanChange';

/** A part of a cycle is printed to four decimals (0.5, 0.4667); the line's net is exact to the second. */
const SHARE_DECIMALS = 4;

const HOUR_MS = 60 * 60 * 1000;

/** What the account's plan fee is billed up to: null where nothing is billed ahead. */
export type PaidUntil = Date | null;

export const billsInAdvance = (plan: Pick<Plan, 'feeTiming'>) => plan.feeTiming === 'advance';

const feeOf = (plan: Plan, interval: Interval): Money => (plan.price ? plan.price[interval] : ZERO);
const later = (a: Date, b: PaidUntil) => (b && b.getTime() > a.getTime() ? b : a);

/** A plan's fee from `from` to `to` within `cycle`, billed at `interval`. */
interface FeeSpan {
  plan: Plan;
  interval: Interval;
  cycle: Cycle;
  from: Date;
  to: Date;
}

/** The plan's fee for `from` to `to` within `cycle`, as an invoice line; none when free or empty. */
export function planFeeLine({ plan, interval, cycle, from, to }: FeeSpan): LineInput | undefined {
  const fee = feeOf(plan, interval);
  if (!fee.greaterThan(0) || to.getTime() <= from.getTime()) return undefined;
  const whole = from.getTime() === cycle.start.getTime() && to.getTime() === cycle.end.getTime();
  if (whole) {
    return { ...described({ kind: 'planFee', plan: plan.name, period: cycle }), quantity: money(1), unit: interval, unitPrice: fee };
  }
  return {
    ...described({ kind: 'planFeePart', plan: plan.name, part: { start: from, end: to }, cycle }),
    quantity: shareOf(cycle, from, to).toDecimalPlaces(SHARE_DECIMALS, Money.ROUND_HALF_UP),
    unit: interval,
    unitPrice: fee,
    amount: proratedFee({ plan, interval, cycle, from, to }),
  };
}

/** Gives back the fee paid ahead for `from` to `to` within `cycle`: a negative line; none when free or empty. */
export function planFeeCreditLine(span: FeeSpan): LineInput | undefined {
  const { plan, interval, from, to } = span;
  const line = planFeeLine(span);
  if (!line) return undefined;
  return {
    ...described({ kind: 'planFeeCredited', plan: plan.name, part: { start: from, end: to } }),
    quantity: line.quantity.negated(),
    unit: interval,
    unitPrice: line.unitPrice,
    amount: (line.amount ?? line.quantity.times(line.unitPrice)).negated(),
  };
}

/**
 * Where an account's first fee starts: at its opening. Cycles start on whole hours, so an opening
 * within the cycle's first hour (where the default anchor puts every account) is its whole cycle;
 * an anchor further in the past is not billed from the anchor.
 */
export function feeStartAtOpening(cycle: Cycle, openedAt: Date): Date {
  return openedAt.getTime() - cycle.start.getTime() < HOUR_MS ? cycle.start : openedAt;
}

/** The fee an account pays when it opens: its first cycle from `from`, for a plan billed in advance. */
export function openingFee({ plan, interval, cycle, from }: { plan: Plan; interval: Interval; cycle: Cycle; from: Date }): {
  lines: LineInput[];
  paidUntil: PaidUntil;
} {
  if (!billsInAdvance(plan)) return { lines: [], paidUntil: null };
  const line = planFeeLine({ plan, interval, cycle, from, to: cycle.end });
  return { lines: line ? [line] : [], paidUntil: cycle.end };
}

/**
 * The fee lines of a closing invoice. The closed cycle's plan: what of it is not billed yet (all of
 * it in arrears; nothing when paid ahead), or a credit for what was paid past the closing (a cycle
 * cut short by a move to yearly billing). The next cycle's plan: its whole fee, when billed in
 * advance. `nominal` is the whole cycle the closed one's fee is prorated against.
 */
export function closingFees(input: {
  plan: Plan;
  interval: Interval;
  closed: Cycle;
  nominal: Cycle;
  /** Where the closed cycle's plan began: the cycle's start, an upgrade, or the opening. */
  planFrom: Date;
  paidUntil: PaidUntil;
  /** The next cycle and its plan; none when the subscription ends with the closed cycle. */
  next?: { plan: Plan; interval: Interval; cycle: Cycle } | undefined;
}): { lines: LineInput[]; paidUntil: PaidUntil } {
  const { plan, interval, closed, nominal } = input;
  const lines: LineInput[] = [];
  const unbilled = planFeeLine({ plan, interval, cycle: nominal, from: later(input.planFrom, input.paidUntil), to: closed.end });
  if (unbilled) lines.push(unbilled);
  if (input.paidUntil && input.paidUntil.getTime() > closed.end.getTime()) {
    const credit = planFeeCreditLine({ plan, interval, cycle: nominal, from: closed.end, to: input.paidUntil });
    if (credit) lines.push(credit);
  }
  const next = input.next;
  if (!next || !billsInAdvance(next.plan)) return { lines, paidUntil: null };
  const ahead = planFeeLine({ plan: next.plan, interval: next.interval, cycle: next.cycle, from: next.cycle.start, to: next.cycle.end });
  if (ahead) lines.push(ahead);
  return { lines, paidUntil: next.cycle.end };
}

/**
 * An upgrade's fees at `at`, on the proration invoice (`now`) or with the cycle (`atCycleEnd`). The
 * old plan: the unused part of a fee paid ahead is credited, a used part not billed yet is billed.
 * The new plan: its rest of the cycle is billed now when it bills in advance, or when the old fee
 * was paid ahead (so the invoice nets the two); otherwise with the cycle's closing.
 */
export function upgradeFees(input: { current: Plan; target: Plan; interval: Interval; cycle: Cycle; planFrom: Date; paidUntil: PaidUntil; at: Date }): {
  now: LineInput[];
  period: Cycle;
  atCycleEnd: LineInput | undefined;
  paidUntil: PaidUntil;
} {
  const { current, target, interval, cycle, at } = input;
  const now: LineInput[] = [];
  const usedFrom = later(input.planFrom, input.paidUntil);
  const used = planFeeLine({ plan: current, interval, cycle, from: usedFrom, to: at });
  if (used) now.push(used);
  // What the proration invoice covers: from the used part it bills, to the rest it credits or bills.
  const period = (ahead: boolean) => ({ start: used ? usedFrom : at, end: ahead ? cycle.end : at });
  const paidAhead = input.paidUntil !== null && input.paidUntil.getTime() > at.getTime();
  if (paidAhead) {
    const credit = planFeeCreditLine({ plan: current, interval, cycle, from: at, to: input.paidUntil! });
    if (credit) now.push(credit);
  }
  const rest = planFeeLine({ plan: target, interval, cycle, from: at, to: cycle.end });
  if (billsInAdvance(target) || paidAhead) {
    if (rest) now.push(rest);
    return { now, period: period(now.length > (used ? 1 : 0)), atCycleEnd: undefined, paidUntil: cycle.end };
  }
  return { now, period: period(false), atCycleEnd: rest, paidUntil: input.paidUntil };
}
