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
import { lockAccounts, readAccount } from '../store/rows';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import { cycleKey } from '../domain/cycle/Cycle';
import { readChargedOnceFor } from '../store/chargedOnce';
import { assertNoCycleDue, withCyclesClosed } from './closeDueFirst';
import { accountUsageAt, readAccountRecord } from './readAccountUsage';

export interface ReserveInput {
  type: EventType;
  estimate: EventData;
  ttlSeconds: number;
  reference?: string;
}

export async function reserve(context: Context, accountId: string, input: ReserveInput): Promise<{ reservation: Reservation; created: boolean }> {
  const result = await withCyclesClosed(context, (unclosable) => context.db.transaction(async (tx) => {
    await lockAccount(tx, accountId, { now: context.clock.now(), unclosable });
    if (input.reference !== undefined) {
      const earlier = await readReservationByReference(tx, accountId, input.reference);
      if (earlier) {
        changesNothing();
        return { reservation: earlier, created: false };
      }
    }
    const now = context.clock.now();
    const hold = await decide(context, tx, accountId, input.type, input.estimate, now);
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
    await addReservationInsert(new Writes(), reservation).run(tx);
    return { reservation, created: true };
  }));
  if (result.created) context.snapshots.changed([accountId]);
  return result;
}

/** Holds more for a reservation still active (the call goes on) and moves its expiry to now + TTL. */
export async function extendReservation(
  context: Context,
  accountId: string,
  id: string,
  input: { estimate: EventData; ttlSeconds: number },
): Promise<Reservation> {
  const reservation = await withCyclesClosed(context, (unclosable) => context.db.transaction(async (tx) => {
    await lockAccount(tx, accountId, { now: context.clock.now(), unclosable });
    const reservation = await readReservation(tx, accountId, id);
    if (!reservation) throw new DomainFailure(notFound('reservation', id));
    const now = context.clock.now();
    assertActive(reservation, now);
    const hold = await decide(context, tx, accountId, reservation.type, input.estimate, now);
    const extended: Reservation = { ...reservation, holds: [...reservation.holds, hold], expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000) };
    await addReservationExtension(new Writes(), extended).run(tx);
    return extended;
  }));
  context.snapshots.changed([accountId]);
  return reservation;
}

/** Gives back what an active reservation holds (the call never connected). Releasing twice is harmless. */
export async function releaseReservation(context: Context, accountId: string, id: string): Promise<Reservation> {
  const result = await context.db.transaction(async (tx) => {
    await lockAccount(tx, accountId);
    const reservation = await readReservation(tx, accountId, id);
    if (!reservation) throw new DomainFailure(notFound('reservation', id));
    const now = context.clock.now();
    if (reservationStatus(reservation, now) !== 'active') return { reservation, released: false };
    await addReservationRelease(new Writes(), reservation, now).run(tx);
    return { reservation: { ...reservation, status: 'released' as const, closedAt: now }, released: true };
  });
  if (result.released) context.snapshots.changed([accountId]);
  return result.reservation;
}

export async function getReservation(context: Context, accountId: string, id: string): Promise<Reservation> {
  const reservation = await readReservation(context.db, accountId, id);
  if (!reservation) {
    if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
    throw new DomainFailure(notFound('reservation', id));
  }
  return reservation;
}

export async function pageReservations(context: Context, accountId: string, after: string, limit: number) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const rows = await listReservations(context.db, accountId, after, limit + 1);
  const page = rows.slice(0, limit);
  return { reservations: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
}

/**
 * Locks the account. A hold is decided on the open cycle: with `closing`, an ended cycle must close
 * first (CyclesDue). Giving a hold back needs no closing.
 */
async function lockAccount(tx: Queryable, accountId: string, closing?: { now: Date; unclosable: ReadonlySet<string> }): Promise<void> {
  const account = (await lockAccounts(tx, [accountId])).get(accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  if (closing) assertNoCycleDue([account], closing.now, closing.unclosable);
}

/** Prices the estimate against what is left once every active hold (this reservation's too) is taken off. */
async function decide(context: Context, tx: Queryable, accountId: string, type: EventType, estimate: EventData, now: Date) {
  const record = await readAccountRecord({ db: tx, catalog: context.catalog, clock: { now: () => now } }, accountId);
  const usage = accountUsageAt(record, now)!;
  const settled = await readChargedOnceFor(tx, context.catalog, accountId, cycleKey(usage.cycle), type, estimate);
  const decision = decideHold({
    catalog: context.catalog,
    plan: usage.plan,
    account: usage.account,
    type,
    estimate,
    available: usage.available,
    allowanceUsed: (meter) => (usage.used.get(meter) ?? ZERO).plus(usage.held.units.get(meter) ?? ZERO),
    spendLimit: usage.spendLimit,
    chargedBefore: (group, key) => settled.get(`${group}|${key}`),
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
