// The pure middle of ingestion: given the events of a batch (in arrival order) and the state of
// their accounts, decide each event's fate (accepted with its charges, duplicate, or rejected) and
// everything that must be written. The caller loads the state and writes the plan in one transaction.
import { accountStatus, type Account, endedRefusal } from '../account/Account';
import { allowancePeriod } from '../allowance/Allowance';
import { type Catalog, findPlan } from '../catalog/Catalog';
import { billedAt, billedCycle } from '../cycle/BilledCycle';
import { cycleContaining, cycleKey as keyOf } from '../cycle/Cycle';
import { withExtras } from '../allowance/AllowanceExtras';
import { notFound, type DomainError, validationFailed } from '../errors';
import { unknownPlan } from '../refusals';
import type { EventData, UsageEvent, WhatsAppData } from '../event/UsageEvent';
import { changesOf, debit, lapseExpiredGrants, openBook, repriceDown, type AccountBook, type BookChanges } from '../ledger/AccountBook';
import type { GrantKind } from '../ledger/drawGrants';
import type { Grant } from '../ledger/drawGrants';
import type { NewId } from '../ledger/LedgerEntry';
import { decimalString, Money, ZERO } from '../money';
import { chargeToJson, type ChargeJson } from '../rating/Charge';
import { type OnceSettled, rate } from '../rating/rate';
import type { TierCount } from '../rating/tieredPrice';
import { conflictWithRecorded } from './sameEvent';
import type { Reservation } from '../reservation/Reservation';
import { eventSchemaFor } from '../event/eventSchemas';
import { dimensionsOf } from '../report/UsageRollup';

/** How far in the future an event's timestamp may lie: clocks of assistants drift. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** A WhatsApp conversation window stays open this long after the contact's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface StoredEvent {
  accountId: string;
  id: string;
  type: UsageEvent['type'];
  timestamp: Date;
  /** When it was billed, where that differs from when it happened: it arrived after its cycle had closed. */
  billedAt?: Date;
  data: EventData;
  metadata?: Record<string, string>;
  /** The reservation the event named. */
  reservation?: string;
  cost: string;
  charges: ChargeJson[];
  /** What paid the cost: each grant drawn on, and what became debt (grant null). */
  paidFrom?: PaidFrom[];
  /** What rating took beside money; absent for events recorded before it was kept. */
  draws?: EventDraws;
  /** 1 as first recorded; each amendment adds one. */
  version?: number;
  /** Set once the event is voided: its data stays, it no longer counts. */
  voided?: { at: Date; reason: string; keyId: string | null; creditNote?: string };
  recordedAt: Date;
}

/**
 * What an event took beside money, so that a void gives back exactly that: allowance units by
 * period (negative where a unit went back), and the charge-once keys it settled, with how each
 * stood before.
 */
export interface EventDraws {
  allowance: { meter: string; period: string; units: string }[];
  once: { group: string; key: string; period: string; before: OnceSettledJson | null; after: OnceSettledJson }[];
  /** Chargeable units a tiered service counted in the cycle (by its key); absent before tiers were kept. */
  tiers?: { service: string; period: string; units: string }[];
  /**
   * The report dimensions its rollups were keyed by (UsageRollup.dimensionsOf, '' for none), by the
   * catalog version it was rated on: a void takes its rollups back from the same key, whatever
   * version the account is on by then. Absent for events recorded before it was kept.
   */
  dimensions?: string;
}

export interface OnceSettledJson {
  coveredBy: string | null;
  units: string;
}

export interface PaidFrom {
  grant: string | null;
  kind: GrantKind | 'debt';
  amount: string;
}

export interface AccountState {
  account: Account;
  grants: Grant[];
  /** Service units used, by `${meter}|${period}`. */
  allowanceUsed: Map<string, Money>;
  /** How keys charged once were settled, by `${group}|${key}|${cycleStart}`. */
  chargedOnce: Map<string, OnceSettled>;
  /** Last inbound WhatsApp message by contact. */
  whatsappLastInbound: Map<string, Date>;
  /** Chargeable units tiered services counted and what they were charged, by `${service}|${cycleKey}`; none read is none counted. */
  tierUsed?: Map<string, TierCount>;
}

export type EventOutcome =
  | { status: 'accepted'; event: StoredEvent }
  | { status: 'duplicate'; event: StoredEvent }
  | { status: 'rejected'; error: DomainError };

export interface IngestionPlan {
  outcomes: EventOutcome[];
  events: StoredEvent[];
  books: BookChanges;
  allowanceUsage: { accountId: string; meter: string; period: string; used: Money }[];
  /** The cycles' counts of tiered services and what they were charged, as they stand after the batch. */
  tierUsage: ({ accountId: string; service: string; period: string } & TierCount)[];
  /** Charge-once keys settled, or settled anew (taken from an allowance, now paid). */
  chargedOnce: ({ accountId: string; group: string; key: string; period: string } & OnceSettled)[];
  whatsappWindows: { accountId: string; contact: string; lastInboundAt: Date }[];
  /** What the batch charged each account in each cycle (by the cycle's start). */
  spend: { accountId: string; period: string; amount: Money }[];
  /** Active reservations settled by the events that named them. */
  settlements: { reservationId: string; accountId: string; eventId: string; cost: Money }[];
}

export const eventKey = (accountId: string, eventId: string) => `${accountId}\u0000${eventId}`;

/**
 * Plans a batch. It advances the given account states (allowance used, keys charged once, WhatsApp
 * windows) as it goes, so that later events of the batch see earlier ones; pass fresh states.
 */
export function planIngestion(input: {
  events: readonly UsageEvent[];
  states: ReadonlyMap<string, AccountState>;
  existing: ReadonlyMap<string, StoredEvent>;
  /** The reservations the events name, by `${account}|${reservation}`. */
  reservations?: ReadonlyMap<string, Pick<Reservation, 'id' | 'type' | 'status'>>;
  /** The catalog every account is on, or each account's (by id): an account is rated on its own version. */
  catalog: Catalog | ReadonlyMap<string, Catalog>;
  now: Date;
  newId: NewId;
}): IngestionPlan {
  const { now, newId } = input;
  const catalogOf = catalogLookup(input.catalog);
  const books = new Map<string, AccountBook>();
  const seen = new Map(input.existing);
  const outcomes: EventOutcome[] = [];
  const accepted: StoredEvent[] = [];
  const allowanceTouched = new Map<string, { accountId: string; meter: string; period: string }>();
  const tiersTouched = new Map<string, { accountId: string; service: string; period: string }>();
  // By key: a key taken from an allowance and paid later in the same batch is written once, as paid.
  const onceWritten = new Map<string, IngestionPlan['chargedOnce'][number]>();
  const windowsTouched = new Map<string, { accountId: string; contact: string }>();
  const spend = new Map<string, { accountId: string; period: string; amount: Money }>();
  const settlements: IngestionPlan['settlements'] = [];
  const settled = new Set<string>();

  for (const event of input.events) {
    const original = seen.get(eventKey(event.account, event.id));
    if (original) {
      const conflict = conflictWithRecorded(original, event);
      outcomes.push(conflict ? { status: 'rejected', error: conflict } : { status: 'duplicate', event: original });
      continue;
    }
    const state = input.states.get(event.account);
    if (!state) {
      outcomes.push({ status: 'rejected', error: notFound('account', event.account) });
      continue;
    }
    const timestamp = new Date(event.timestamp);
    if (timestamp.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      outcomes.push({ status: 'rejected', error: validationFailed('timestamp', 'lies more than 5 minutes in the future') });
      continue;
    }
    const reservation = event.reservation === undefined ? undefined : input.reservations?.get(`${event.account}|${event.reservation}`);
    if (event.reservation !== undefined) {
      if (!reservation) {
        outcomes.push({ status: 'rejected', error: notFound('reservation', event.reservation) });
        continue;
      }
      if (reservation.type !== event.type) {
        outcomes.push({ status: 'rejected', error: validationFailed('reservation', `holds a ${reservation.type} reservation, not a ${event.type} event`) });
        continue;
      }
    }
    const billed = billedAt(state.account, timestamp);
    // Usage billed after the last cycle closed could go on no invoice: it is refused like later usage.
    const ended = endedRefusal(state.account, billed, 'usage');
    if (ended) {
      outcomes.push({ status: 'rejected', error: ended });
      continue;
    }
    const catalog = catalogOf(event.account);
    const plan = findPlan(catalog, state.account.plan);
    if (!plan) {
      outcomes.push({
        status: 'rejected',
        error: unknownPlan(state.account.plan),
      });
      continue;
    }
    let book = books.get(event.account);
    if (!book) {
      book = openBook(state.account, state.grants);
      lapseExpiredGrants(book, now, newId);
      books.set(event.account, book);
    }

    const cycle = cycleContaining(state.account.anchor, state.account.interval, billed);
    const cycleKey = keyOf(cycle);
    const data: EventData = { ...event.data };
    // Parsed against the whatsapp schema, whatever fields the catalog added to it.
    const whatsapp = event.type === 'whatsapp' ? (event.data as WhatsAppData) : undefined;
    if (whatsapp) {
      const last = state.whatsappLastInbound.get(whatsapp.contact);
      const open =
        whatsapp.direction === 'inbound' ||
        (last !== undefined && last.getTime() <= timestamp.getTime() && timestamp.getTime() < last.getTime() + WHATSAPP_WINDOW_MS);
      data['window'] = open ? 'open' : 'closed';
    }
    const usageKey = (meter: string) => {
      const allowance = plan.allowances.find((a) => a.meter === meter)!;
      return `${meter}|${allowancePeriod(allowance, cycle)}`;
    };
    const rating = rate(event.type, data, {
      catalog,
      // Add-on packs bought for this cycle raise its allowances.
      plan: withExtras(plan, state.account.allowanceExtras, cycle),
      interval: state.account.interval,
      allowanceUsed: (meter) => state.allowanceUsed.get(usageKey(meter)) ?? ZERO,
      chargedBefore: (group, key) => state.chargedOnce.get(`${group}|${key}|${cycleKey}`),
      ...(state.account.prices ? { accountPrices: state.account.prices } : {}),
      tierQuantity: (service) => state.tierUsed?.get(`${service}|${cycleKey}`)?.quantity ?? ZERO,
      tierCharged: (service) => state.tierUsed?.get(`${service}|${cycleKey}`)?.charged ?? ZERO,
    });
    if (!rating.ok) {
      outcomes.push({ status: 'rejected', error: rating.error });
      continue;
    }

    const draws: EventDraws = { allowance: [], once: [], dimensions: dimensionsOf(event.data, eventSchemaFor(catalog).dimensions) };
    for (const draw of rating.allowanceDraws) {
      const key = usageKey(draw.meter);
      state.allowanceUsed.set(key, (state.allowanceUsed.get(key) ?? ZERO).plus(draw.units));
      const [, period] = key.split('|') as [string, string];
      draws.allowance.push({ meter: draw.meter, period, units: decimalString(draw.units) });
      allowanceTouched.set(`${event.account}|${key}`, { accountId: event.account, meter: draw.meter, period });
    }
    if (rating.tierDraws.length > 0) {
      const tierUsed = (state.tierUsed ??= new Map());
      draws.tiers = rating.tierDraws.map((draw) => {
        const key = `${draw.service}|${cycleKey}`;
        const count = tierUsed.get(key);
        tierUsed.set(key, { quantity: (count?.quantity ?? ZERO).plus(draw.units), charged: (count?.charged ?? ZERO).plus(draw.amount) });
        tiersTouched.set(`${event.account}|${key}`, { accountId: event.account, service: draw.service, period: cycleKey });
        return { service: draw.service, period: cycleKey, units: decimalString(draw.units) };
      });
    }
    for (const once of rating.chargedOnce) {
      const before = state.chargedOnce.get(`${once.group}|${once.key}|${cycleKey}`);
      draws.once.push({
        group: once.group,
        key: once.key,
        period: cycleKey,
        before: before ? { coveredBy: before.coveredBy, units: decimalString(before.units) } : null,
        after: { coveredBy: once.coveredBy, units: decimalString(once.units) },
      });
      state.chargedOnce.set(`${once.group}|${once.key}|${cycleKey}`, { coveredBy: once.coveredBy, units: once.units });
      onceWritten.set(`${event.account}|${once.group}|${once.key}|${cycleKey}`, {
        accountId: event.account,
        group: once.group,
        key: once.key,
        period: cycleKey,
        coveredBy: once.coveredBy,
        units: once.units,
      });
    }
    if (whatsapp?.direction === 'inbound') {
      const last = state.whatsappLastInbound.get(whatsapp.contact);
      if (!last || last.getTime() < timestamp.getTime()) state.whatsappLastInbound.set(whatsapp.contact, timestamp);
      windowsTouched.set(`${event.account}|${whatsapp.contact}`, { accountId: event.account, contact: whatsapp.contact });
    }
    const drawnBefore = book.entries.length;
    // Dated when billed, so that the ledger and the reports put a late event in the same period.
    debit(book, { amount: rating.cost, eventId: event.id, occurredAt: billed, now }, newId);
    // Volume tiers: an event that takes the cycle into a cheaper tier gives back what the cycle's
    // earlier units were charged above that tier's price (see rating/tieredPrice).
    if (rating.cost.isNegative()) repriceDown(book, { amount: rating.cost.negated(), eventId: event.id, occurredAt: billed, now }, newId);
    // What paid the cost: the draws; credits a volume tier gave back paid for nothing.
    const paidFrom: PaidFrom[] = book.entries
      .slice(drawnBefore)
      .filter((entry) => entry.amount.isNegative())
      .map((entry) => ({
        grant: entry.grantId,
        kind: entry.grantId === null ? 'debt' : (book.grants.find((g) => g.id === entry.grantId)?.kind ?? 'topup'),
        amount: decimalString(entry.amount.negated()),
      }));
    // Usage that outlived its reservation (expired, released, settled by an earlier event) is still
    // charged in full; only the first event settles an active one.
    if (reservation && reservation.status === 'active' && !settled.has(reservation.id)) {
      settled.add(reservation.id);
      settlements.push({ reservationId: reservation.id, accountId: event.account, eventId: event.id, cost: rating.cost });
    }
    // A volume tier's negative charge lowers the cycle's spend as it lowers its price.
    if (!rating.cost.isZero()) {
      const spent = spend.get(`${event.account}|${cycleKey}`);
      if (spent) spent.amount = spent.amount.plus(rating.cost);
      else spend.set(`${event.account}|${cycleKey}`, { accountId: event.account, period: cycleKey, amount: rating.cost });
    }

    const stored: StoredEvent = {
      accountId: event.account,
      id: event.id,
      type: event.type,
      timestamp,
      ...(billed !== timestamp ? { billedAt: billed } : {}),
      data: event.data as EventData,
      ...(event.metadata ? { metadata: event.metadata } : {}),
      ...(event.reservation !== undefined ? { reservation: event.reservation } : {}),
      cost: decimalString(rating.cost),
      charges: rating.charges.map(chargeToJson),
      paidFrom,
      draws,
      recordedAt: now,
    };
    seen.set(eventKey(event.account, event.id), stored);
    accepted.push(stored);
    outcomes.push({ status: 'accepted', event: stored });
  }

  for (const book of books.values()) {
    book.account.status = accountStatus(findPlan(catalogOf(book.account.id), book.account.plan)!.billing, book.account.balance);
  }

  return {
    outcomes,
    events: accepted,
    books: changesOf(books.values()),
    tierUsage: [...tiersTouched.values()].map((t) => ({
      ...t,
      ...input.states.get(t.accountId)!.tierUsed!.get(`${t.service}|${t.period}`)!,
    })),
    allowanceUsage: [...allowanceTouched.values()].map((t) => ({
      ...t,
      used: input.states.get(t.accountId)!.allowanceUsed.get(`${t.meter}|${t.period}`)!,
    })),
    chargedOnce: [...onceWritten.values()],
    spend: [...spend.values()],
    settlements,
    whatsappWindows: [...windowsTouched.values()].map((w) => ({
      ...w,
      lastInboundAt: input.states.get(w.accountId)!.whatsappLastInbound.get(w.contact)!,
    })),
  };
}

/** Each account's catalog: the one given for all, or the account's own from the map. */
export function catalogLookup(catalog: Catalog | ReadonlyMap<string, Catalog>): (accountId: string) => Catalog {
  if (!(catalog instanceof Map)) return () => catalog as Catalog;
  return (accountId) => {
    const own = catalog.get(accountId);
    if (!own) throw new Error(`no catalog given for account ${accountId}`);
    return own;
  };
}

/** The allowance periods and charge-once periods the loader must fetch for these events. */
export function periodsFor(account: Account, catalog: Catalog, timestamps: Date[]): { allowancePeriods: string[]; cyclePeriods: string[] } {
  const plan = findPlan(catalog, account.plan);
  const cyclePeriods = new Set<string>();
  const allowancePeriods = new Set<string>();
  let seen: object | undefined;
  for (const at of timestamps) {
    const cycle = billedCycle(account, at);
    if (cycle === seen) continue;
    seen = cycle;
    cyclePeriods.add(keyOf(cycle));
    for (const allowance of plan?.allowances ?? []) allowancePeriods.add(allowancePeriod(allowance, cycle));
  }
  return { allowancePeriods: [...allowancePeriods], cyclePeriods: [...cyclePeriods] };
}
