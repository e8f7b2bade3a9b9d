// Reservations: a hold on an account's credit (and included units) for usage that has started but is
// not yet reported, such as a call in progress. Holds lower what authorize and further reservations
// may spend; the usage event that names the reservation settles it, and an unsettled one simply
// stops holding when its time is up.
import type { Account } from '../account/Account';
import type { Catalog, Plan } from '../catalog/Catalog';
import type { DomainError } from '../errors';
import type { EventData, EventType } from '../event/UsageEvent';
import { authorize } from '../limits/authorize';
import type { SpendState } from '../limits/SpendLimit';
import type { RatingContext } from '../rating/rate';
import { Money, sum, ZERO } from '../money';

/** How long a reservation holds when the caller does not say: a long call's first stretch. */
export const DEFAULT_RESERVATION_TTL_SECONDS = 600;
/** Longest a reservation may hold before it must be extended: a day, the longest call. */
export const MAX_RESERVATION_TTL_SECONDS = 86_400;
/** Shortest hold accepted; anything less expires before the call is connected. */
export const MIN_RESERVATION_TTL_SECONDS = 10;

/** What is stored; `expired` is never stored, it is an active reservation whose time is up. */
export type StoredReservationStatus = 'active' | 'settled' | 'released';
export type ReservationStatus = StoredReservationStatus | 'expired';

/** One step of a reservation: its opening estimate or an extension. */
export interface Hold {
  estimate: EventData;
  amount: Money;
  allowanceUnits: Record<string, Money>;
  /** Chargeable units of tiered services held, by service: later holds are priced above them. Absent on holds made before. */
  tierUnits?: Record<string, Money>;
  at: Date;
}

export interface Reservation {
  id: string;
  accountId: string;
  reference: string | null;
  type: EventType;
  holds: Hold[];
  status: StoredReservationStatus;
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
  /** The event that settled it, and what that event cost. */
  settledBy: string | null;
  actualCost: Money | null;
}

export function reservationStatus(reservation: Pick<Reservation, 'status' | 'expiresAt'>, now: Date): ReservationStatus {
  if (reservation.status === 'active' && reservation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return reservation.status;
}

/** What a reservation holds in all: credit, per meter included units, and per tiered service chargeable units. */
export function heldBy(reservation: Pick<Reservation, 'holds'>): { amount: Money; units: Map<string, Money>; tiers: Map<string, Money> } {
  const units = new Map<string, Money>();
  const tiers = new Map<string, Money>();
  for (const hold of reservation.holds) {
    for (const [meter, held] of Object.entries(hold.allowanceUnits)) units.set(meter, (units.get(meter) ?? ZERO).plus(held));
    for (const [service, held] of Object.entries(hold.tierUnits ?? {})) tiers.set(service, (tiers.get(service) ?? ZERO).plus(held));
  }
  return { amount: sum(reservation.holds.map((h) => h.amount)), units, tiers };
}

/** What the account's reservations still hold at `now`. */
export function totalHeld(reservations: readonly Pick<Reservation, 'holds' | 'status' | 'expiresAt'>[], now: Date) {
  const units = new Map<string, Money>();
  const tiers = new Map<string, Money>();
  let amount = ZERO;
  for (const reservation of reservations) {
    if (reservationStatus(reservation, now) !== 'active') continue;
    const held = heldBy(reservation);
    amount = amount.plus(held.amount);
    for (const [meter, value] of held.units) units.set(meter, (units.get(meter) ?? ZERO).plus(value));
    for (const [service, value] of held.tiers) tiers.set(service, (tiers.get(service) ?? ZERO).plus(value));
  }
  return { amount, units, tiers };
}

export type HoldDecision = { ok: true; hold: Hold } | { ok: false; error: DomainError };

/**
 * Prices an estimate (the usage expected, in the event's own fields) against what the account has
 * left after its other holds, and says whether it may be held. It is refused exactly when
 * authorize would refuse the same usage with the holds taken off.
 */
export function decideHold(input: {
  catalog: Catalog;
  plan: Plan;
  account: Account;
  type: EventType;
  estimate: EventData;
  /** Spendable balance minus every active hold. */
  available: Money;
  /** Units used of a meter plus the units active holds keep. */
  allowanceUsed: (meter: string) => Money;
  /** A postpaid account's spend limit, with every active hold counted. */
  spendLimit?: SpendState | undefined;
  /** How the estimate's charge-once keys (its conversation) were settled in this cycle. */
  chargedBefore?: RatingContext['chargedBefore'] | undefined;
  /** The account's own prices, and what its cycle's tiers counted so far with what active holds keep. */
  accountPrices?: RatingContext['accountPrices'];
  tierQuantity?: RatingContext['tierQuantity'];
  now: Date;
}): HoldDecision {
  const decision = authorize({
    catalog: input.catalog,
    plan: input.plan,
    account: input.account,
    type: input.type,
    data: input.estimate,
    available: input.available,
    allowanceUsed: input.allowanceUsed,
    spendLimit: input.spendLimit,
    chargedBefore: input.chargedBefore,
    at: input.now,
    ...(input.accountPrices ? { accountPrices: input.accountPrices } : {}),
    ...(input.tierQuantity ? { tierQuantity: input.tierQuantity } : {}),
  });
  if (!decision.allowed) return { ok: false, error: decision.refusal };
  const allowanceUnits: Record<string, Money> = {};
  for (const draw of decision.estimate.allowanceDraws) allowanceUnits[draw.meter] = (allowanceUnits[draw.meter] ?? ZERO).plus(draw.units);
  const tierUnits: Record<string, Money> = {};
  for (const draw of decision.estimate.tierDraws) tierUnits[draw.service] = (tierUnits[draw.service] ?? ZERO).plus(draw.units);
  // A volume tier's estimate may come out negative (a cheaper tier reached): a hold keeps nothing then.
  const amount = decision.estimate.cost.isNegative() ? ZERO : decision.estimate.cost;
  return { ok: true, hold: { estimate: input.estimate, amount, allowanceUnits, ...(Object.keys(tierUnits).length > 0 ? { tierUnits } : {}), at: input.now } };
}
