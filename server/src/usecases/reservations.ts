// Reservations of an account: open (refused when what is left after other holds cannot cover the
// estimate), extend, release, read. Each change runs under the account's lock, so concurrent
// reservations on one account are decided one after the other and never overspend together.
import { DomainFailure, notFound } from '../domain/errors';
import { reservationClosed } from '../domain/refusals';
import type { EventData, EventType } from '../domain/event/UsageEvent';
import { ZERO } from '../domain/money';
import { decideHold, type Reservation, reservationStatus } from '../domain/reservation/Reservation';
import type { Queryable } from '../store/Database';
import {
  addReservationExtension,
  addReservationInsert,
  addReservationRelease,
  listReservations,
  readReservation,
  readReservationByReference,
} from '../store/reservations';
import { readAccount } from '../store/accounts';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import { cycleKey } from '../domain/cycle/Cycle';
import { readChargedOnceFor } from '../store/chargedOnce';
import { writeAccounts } from './writeAccounts';
import { writeAsIs } from './AccountWrite';
import { accountUsageAt, readAccountRecord } from './readAccountUsage';

export interface ReserveInput {
  type: EventType;
  estimate: EventData;
  ttlSeconds: number;
  reference?: string;
}

export async function reserve(context: Context, accountId: string, input: ReserveInput): Promise<{ reservation: Reservation; created: boolean }> {
  return writeAccounts<{ reservation: Reservation; created: boolean }>(context, {
    accounts: [accountId],
    run: async ({ tx, now }) => {
      if (input.reference !== undefined) {
        const earlier = await readReservationByReference(tx, accountId, input.reference);
        if (earlier) {
          changesNothing();
          return { answer: { reservation: earlier, created: false } };
        }
      }
      const hold = await decide(context, { tx, accountId, type: input.type, estimate: input.estimate, now });
      const reservation: Reservation = {
        id: madeByRequest(context.newId('res')),
        accountId,
        reference: input.reference ?? null,
        type: input.type,
        holds: [hold],
        status: 'active',
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
        closedAt: null,
        settledBy: null,
        actualCost: null,
      };
      return { answer: { reservation, created: true }, writes: addReservationInsert(new Writes(), reservation), changed: [accountId] };
    },
  });
}

/** Holds more for a reservation still active (the call goes on) and moves its expiry to now + TTL. */
export async function extendReservation(
  context: Context,
  { accountId, id, estimate, ttlSeconds }: { accountId: string; id: string; estimate: EventData; ttlSeconds: number },
): Promise<Reservation> {
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, now }) => {
      const reservation = await readReservation(tx, accountId, id);
      if (!reservation) throw new DomainFailure(notFound('reservation', id));
      assertActive(reservation, now);
      const hold = await decide(context, { tx, accountId, type: reservation.type, estimate, now });
      const extended: Reservation = { ...reservation, holds: [...reservation.holds, hold], expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
      return { answer: extended, writes: addReservationExtension(new Writes(), extended), changed: [accountId] };
    },
  });
}

/** Gives back what an active reservation holds (the call never connected). Releasing twice is harmless. */
export async function releaseReservation(context: Context, accountId: string, id: string): Promise<Reservation> {
  // Giving a hold back needs no closing.
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ tx, now }) => {
      const reservation = await readReservation(tx, accountId, id);
      if (!reservation) throw new DomainFailure(notFound('reservation', id));
      if (reservationStatus(reservation, now) !== 'active') return { answer: reservation };
      return {
        answer: { ...reservation, status: 'released' as const, closedAt: now },
        writes: addReservationRelease(new Writes(), reservation, now),
        changed: [accountId],
      };
    },
  });
}

export async function getReservation(context: Context, accountId: string, id: string): Promise<Reservation> {
  const reservation = await readReservation(context.db, accountId, id);
  if (!reservation) {
    if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
    throw new DomainFailure(notFound('reservation', id));
  }
  return reservation;
}

export async function pageReservations(context: Context, { accountId, after, limit }: { accountId: string; after: string; limit: number }) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const rows = await listReservations(context.db, { accountId, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { reservations: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Prices the estimate against what is left once every active hold (this reservation's too) is taken off. */
async function decide(
  context: Context,
  { tx, accountId, type, estimate, now }: { tx: Queryable; accountId: string; type: EventType; estimate: EventData; now: Date },
) {
  const record = await readAccountRecord({ db: tx, catalogs: context.catalogs, clock: { now: () => now } }, accountId);
  const usage = accountUsageAt(record, now)!;
  const settled = await readChargedOnceFor(tx, { catalog: usage.catalog, accountId, period: cycleKey(usage.cycle), type, data: estimate });
  const decision = decideHold({
    catalog: usage.catalog,
    plan: usage.plan,
    account: usage.account,
    type,
    estimate,
    available: usage.available,
    allowanceUsed: (meter) => (usage.used.get(meter) ?? ZERO).plus(usage.held.units.get(meter) ?? ZERO),
    spendLimit: usage.spendLimit,
    chargedBefore: (group, key) => settled.get(`${group}|${key}`),
    ...(usage.account.prices ? { accountPrices: usage.account.prices } : {}),
    tierQuantity: (service) => (usage.tierUsed.get(service) ?? ZERO).plus(usage.held.tiers.get(service) ?? ZERO),
    now,
  });
  if (!decision.ok) throw new DomainFailure(decision.error);
  return decision.hold;
}

function assertActive(reservation: Reservation, now: Date): void {
  const status = reservationStatus(reservation, now);
  if (status === 'active') return;
  throw new DomainFailure(reservationClosed(reservation.id, status));
}
