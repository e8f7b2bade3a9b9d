// Voiding an event: everything it took is given back, to where it came from, and it stops
// counting. Money goes back to the grants it drew on (or the debt it added, or a refund grant
// where those are gone); allowance units to the period that counted them; a charge-once key it
// settled goes back to how it stood, unless another event still holds it; the rollups and the
// cycle's spend lose its charges, and tiered services' counts its chargeable units (later events keep their charges).
// A tiered charge is settled at the cycle's price instead (see tierVoid): the void gives back what the
// cycle was charged less the price of what stands, which may be more or less than the event's own
// charge; the difference is its own ledger entry, saying so. An event whose charges an invoice already
// settled gives its money back through a credit note on that invoice instead (see usecases/voidEvent), never to the balance.
import { accountStatus } from '../account/Account';
import type { Plan } from '../catalog/Catalog';
import { allowancePeriod } from '../allowance/Allowance';
import type { Cycle } from '../cycle/Cycle';
import type { EventDraws, OnceSettledJson, StoredEvent } from '../ingestion/planIngestion';
import { type AccountBook, debit, giveBack, repriceDown } from '../ledger/AccountBook';
import type { NewId } from '../ledger/LedgerEntry';
import { decimalString, money, Money, sum, ZERO } from '../money';
import { hourOf, rollupsOf, type UsageRollup } from '../report/UsageRollup';
import type { ChargeJson } from '../rating/Charge';
import type { TierCount } from '../rating/tieredPrice';
import { CENTS } from '../invoice/Invoice';

/** A charge-once key after the void: restored to how it stood before the event, or released (null). */
export interface OnceRestored {
  group: string;
  key: string;
  period: string;
  restored: OnceSettledJson | null;
}

export interface VoidPlan {
  /** Units given back, by meter and period (positive: the period's used goes down by them). */
  allowance: { meter: string; period: string; units: Money }[];
  once: OnceRestored[];
  /** Rollup increments that take the event's charges out of the reports. */
  rollups: UsageRollup[];
  /** What the event's cycle spent less. */
  spend: { period: string; amount: Money };
  /** Money given back: the event's cost, its tiered charges settled at the cycle's price; negative where that takes more. */
  givenBack: Money;
  /** Tiered services' cycle counts after the void: quantity and charged total. */
  tiers: ({ service: string; period: string } & TierCount)[];
}

/**
 * How a void settles a tiered service's cycle: its count after, and what the void gives back for the
 * service (the cycle's charged total less the price of what stands; see tierVoid).
 */
export interface TierSettlement extends TierCount {
  service: string;
  period: string;
  givenBack: Money;
}

/**
 * What the event drew beside money. Events recorded before draws were kept name their allowance
 * units in their charges, counted in the period of their cycle; their charge-once keys are unknown
 * and stay as they are.
 */
export function drawsOf(event: StoredEvent, plan: Plan | undefined, cycle: Cycle): EventDraws {
  if (event.draws) return event.draws;
  const units = new Map<string, Money>();
  for (const charge of event.charges) {
    if (!charge.allowance) continue;
    units.set(charge.allowance.meter, (units.get(charge.allowance.meter) ?? ZERO).plus(money(charge.allowance.usedUnits)));
  }
  const allowance = [...units].flatMap(([meter, used]) => {
    const covering = plan?.allowances.find((a) => a.meter === meter);
    return covering ? [{ meter, period: allowancePeriod(covering, cycle), units: used.toString() }] : [];
  });
  return { allowance, once: [] };
}

export function planVoid(input: {
  event: StoredEvent;
  draws: EventDraws;
  book: AccountBook;
  billing: 'prepaid' | 'postpaid';
  /** The event's cycle, by its key. */
  cyclePeriod: string;
  /** How each key the event settled stands now, by `${group}|${key}|${period}`. */
  onceNow: ReadonlyMap<string, OnceSettledJson>;
  /** Keys (same form) that another event, not voided, holds in the same period. */
  heldElsewhere: ReadonlySet<string>;
  /** The event's charges were settled by an invoice: its money goes back through that invoice, not here. */
  invoiced?: boolean;
  /** The declared report dimensions of the account's catalog: the key of an event recorded before its draws kept the dimensions. */
  dimensions?: readonly string[];
  /** The event's tiered services settled at their cycles' prices (see tierVoid); none: its charges given back as they were. */
  tiers?: readonly TierSettlement[];
  reason: string;
  now: Date;
  newId: NewId;
}): VoidPlan {
  const { event, draws, book, reason, now, newId } = input;
  const cost = money(event.cost);
  const occurredAt = event.billedAt ?? event.timestamp;
  const description = `Void of ${event.type} event ${event.id}`;
  const reference = `${event.id}@v${event.version ?? 1}`;
  // Tiered charges settle at the cycle's price: the void gives back for a service what the cycle was
  // charged less the price of what stands, which may be more or less than the event's own charge.
  const tiers = input.invoiced ? [] : (input.tiers ?? []);
  const ownCharge = (service: string) => sum(event.charges.filter((c) => c.service === service && c.tiers).map((c) => money(c.amount)));
  const settled = tiers.map((t) => ({ ...t, own: ownCharge(t.service) }));
  const repriced = sum(settled.map((t) => t.givenBack.minus(t.own)));
  const because = settled
    .filter((t) => !t.givenBack.equals(t.own))
    .map(
      (t) =>
        `${t.service}: ${decimalString(t.quantity)} units left, charged ${decimalString(t.charged)}; ${decimalString(t.givenBack)} back where the event was charged ${decimalString(t.own)}`,
    )
    .join('; ');
  const said = repriced.isZero() ? description : `${description}, settled at the cycle's tiers (${because})`;
  // What goes back in all; what paid the event takes it first (where it takes less than all, the last part paid first).
  let left = input.invoiced ? ZERO : cost.plus(repriced);
  const paidFrom = event.paidFrom ?? [{ grant: null, kind: 'debt' as const, amount: event.cost }];
  const paid = sum(paidFrom.map((p) => money(p.amount)).filter((a) => a.greaterThan(0)));
  for (const part of left.greaterThanOrEqualTo(paid) ? paidFrom : [...paidFrom].reverse()) {
    const amount = Money.min(money(part.amount), left);
    if (!amount.greaterThan(0)) continue;
    // Dated with the event, so that the ledger and the reports take it out of the same period.
    giveBack(book, { amount, grantId: part.grant, eventId: event.id, reference, description: said, reason, occurredAt, now }, newId);
    left = left.minus(amount);
  }
  const entry = { eventId: event.id, reference, description: said, reason, occurredAt, now };
  // More than the event paid: the cycle's other units were charged above their price now.
  if (left.greaterThan(0)) repriceDown(book, { ...entry, amount: left, kind: 'void' }, newId);
  // Less than nothing: a negative charge's credits taken again, or the cycle's units left priced higher
  // (a usage entry with the void's reference, which ingestion's have not: a second void answers it too).
  else if (left.isNegative())
    debit(book, { ...entry, amount: left.negated(), description: cost.isNegative() && repriced.isZero() ? `Usage ${event.id}` : said }, newId);
  book.account.status = accountStatus(input.billing, book.account.balance);
  const givenBack = cost.plus(repriced);
  // The reports lose what the void gave back, service by service, as the ledger does.
  const reported = tiers.length === 0 ? event : { ...event, charges: event.charges.map((c) => settledCharge(c, settled)) };

  const once: OnceRestored[] = [];
  for (const settled of draws.once) {
    const id = `${settled.group}|${settled.key}|${settled.period}`;
    const current = input.onceNow.get(id);
    // Changed since by a later event: that event's settlement stands.
    if (!current || current.coveredBy !== settled.after.coveredBy || !money(current.units).equals(money(settled.after.units))) continue;
    // No standing event holds the key any more: released, whoever settled it before.
    if (!input.heldElsewhere.has(id)) once.push({ group: settled.group, key: settled.key, period: settled.period, restored: null });
    else if (settled.before !== null) once.push({ group: settled.group, key: settled.key, period: settled.period, restored: settled.before });
  }

  return {
    allowance: draws.allowance.map((d) => ({ meter: d.meter, period: d.period, units: money(d.units) })),
    once,
    rollups: rollupsOf([reported], hourOf, input.dimensions).map(negated),
    spend: { period: input.cyclePeriod, amount: givenBack.negated() },
    givenBack,
    tiers: input.tiers?.map((t) => ({ service: t.service, period: t.period, quantity: t.quantity, charged: t.charged })) ?? [],
  };
}

/** A tiered charge as the void settles it: its service's give-back, on the first tiered charge of the service. */
function settledCharge(charge: ChargeJson, settled: readonly (TierSettlement & { own: Money })[]): ChargeJson {
  const tier = charge.tiers ? settled.find((t) => t.service === charge.service) : undefined;
  if (!tier) return charge;
  // One charge per service and event: the service's give-back is this charge's.
  return { ...charge, amount: decimalString(tier.givenBack) };
}

function negated(row: UsageRollup): UsageRollup {
  return {
    ...row,
    meterUsed: row.meterUsed.negated(),
    charges: -row.charges,
    quantity: row.quantity.negated(),
    chargeable: row.chargeable.negated(),
    amount: row.amount.negated(),
  };
}

/**
 * What to credit on the invoice lines a voided event's charges were billed on: the settled usage
 * line of each service it charged ("Call minutes, March 2026"). Lines round to the cent, events do
 * not: each line is credited the cents that all its voided events come to with this one, less what
 * they came to before it, so many small voids give back exactly the line, never a cent more. A
 * line whose share rounds to nothing yet is left out. What matches no settled line is `unmatched`.
 */
export function invoiceLinesOf(
  event: Pick<StoredEvent, 'charges'>,
  invoice: { lines: readonly { description: string }[]; settledLines: readonly number[] },
  voidedBefore: readonly (readonly ChargeJson[])[] = [],
): { lines: { line: number; amount: Money }[]; unmatched: Money } {
  const lineOf = (charge: ChargeJson) => invoice.settledLines.find((i) => invoice.lines[i]?.description.startsWith(`${charge.name}, `));
  const exactBefore = new Map<number, Money>();
  for (const charge of voidedBefore.flat()) {
    const line = lineOf(charge);
    if (line !== undefined) exactBefore.set(line, (exactBefore.get(line) ?? ZERO).plus(charge.amount));
  }
  const exactNow = new Map<number, Money>();
  let unmatched = ZERO;
  for (const charge of event.charges) {
    const amount = money(charge.amount);
    if (!amount.greaterThan(0)) continue;
    const line = lineOf(charge);
    if (line === undefined) unmatched = unmatched.plus(amount);
    else exactNow.set(line, (exactNow.get(line) ?? ZERO).plus(amount));
  }
  const cents = (value: Money) => value.toDecimalPlaces(CENTS, Money.ROUND_HALF_UP);
  const lines = [...exactNow].flatMap(([line, amount]) => {
    const before = exactBefore.get(line) ?? ZERO;
    const credit = cents(before.plus(amount)).minus(cents(before));
    return credit.greaterThan(0) ? [{ line, amount: credit }] : [];
  });
  return { lines, unmatched };
}
