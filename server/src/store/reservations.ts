// Reservations as rows: reading the holds of accounts, and the writes that open, extend, release and
// settle them. Every change tells the other processes that the account changed (its available
// balance did).
import type { EventData, EventType } from '../domain/event/UsageEvent';
import { decimalString, money, type Money } from '../domain/money';
import type { Hold, Reservation, StoredReservationStatus } from '../domain/reservation/Reservation';
import { ACCOUNT_CHANGES } from './books';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

export const RESERVATION_COLUMNS = 'id, account_id, reference, type, holds, status, created_at, expires_at, closed_at, settled_by, actual_cost';

interface HoldJson {
  estimate: EventData;
  amount: string;
  allowanceUnits: Record<string, string>;
  tierUnits?: Record<string, string>;
  at: string;
}

export interface ReservationRow {
  id: string;
  account_id: string;
  reference: string | null;
  type: EventType;
  holds: HoldJson[];
  status: StoredReservationStatus;
  created_at: Date;
  expires_at: Date;
  closed_at: Date | null;
  settled_by: string | null;
  actual_cost: string | null;
  [column: string]: unknown;
}

export function toReservation(row: ReservationRow): Reservation {
  return {
    id: row.id,
    accountId: row.account_id,
    reference: row.reference,
    type: row.type,
    holds: row.holds.map((h) => ({
      estimate: h.estimate,
      amount: money(h.amount),
      allowanceUnits: Object.fromEntries(Object.entries(h.allowanceUnits).map(([meter, units]) => [meter, money(units)])),
      ...(h.tierUnits ? { tierUnits: Object.fromEntries(Object.entries(h.tierUnits).map(([service, units]) => [service, money(units)])) } : {}),
      at: new Date(h.at),
    })),
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    closedAt: row.closed_at,
    settledBy: row.settled_by,
    actualCost: row.actual_cost === null ? null : money(row.actual_cost),
  };
}

const holdsJson = (holds: readonly Hold[]): string =>
  JSON.stringify(
    holds.map<HoldJson>((h) => ({
      estimate: h.estimate,
      amount: decimalString(h.amount),
      allowanceUnits: Object.fromEntries(Object.entries(h.allowanceUnits).map(([meter, units]) => [meter, decimalString(units)])),
      ...(h.tierUnits ? { tierUnits: Object.fromEntries(Object.entries(h.tierUnits).map(([service, units]) => [service, decimalString(units)])) } : {}),
      at: h.at.toISOString(),
    })),
  );

export async function readReservation(db: Queryable, accountId: string, id: string): Promise<Reservation | undefined> {
  const [row] = await db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE account_id = $1 AND id = $2`, [accountId, id]);
  return row ? toReservation(row) : undefined;
}

export async function readReservationByReference(db: Queryable, accountId: string, reference: string): Promise<Reservation | undefined> {
  const [row] = await db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE account_id = $1 AND reference = $2`, [
    accountId,
    reference,
  ]);
  return row ? toReservation(row) : undefined;
}

/** The reservations named by these (account, reservation) pairs; keyed `${account}|${id}`. */
export async function readNamedReservations(db: Queryable, keys: readonly (readonly [string, string])[]): Promise<Map<string, Reservation>> {
  if (keys.length === 0) return new Map();
  const rows = await db.query<ReservationRow>(
    `SELECT ${RESERVATION_COLUMNS} FROM reservations JOIN unnest($1::text[], $2::text[]) AS k(a, i) ON account_id = k.a AND id = k.i`,
    [keys.map((k) => k[0]), keys.map((k) => k[1])],
  );
  return new Map(rows.map((row) => [`${row.account_id}|${row.id}`, toReservation(row)]));
}

export async function listReservations(
  db: Queryable,
  { accountId, after, limit }: { accountId: string; after: string; limit: number },
): Promise<Reservation[]> {
  const rows = await db.query<ReservationRow>(`SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [
    accountId,
    after,
    limit,
  ]);
  return rows.map(toReservation);
}

export function addReservationInsert(writes: Writes, r: Reservation): Writes {
  return writes
    .add(
      (p) => `INSERT INTO reservations (id, account_id, reference, type, holds, status, created_at, expires_at)
        VALUES (${p(r.id)}, ${p(r.accountId)}, ${p(r.reference)}, ${p(r.type)}, ${p(holdsJson(r.holds))}::jsonb, 'active',
                ${p(r.createdAt.toISOString())}, ${p(r.expiresAt.toISOString())})`,
    )
    .notify(ACCOUNT_CHANGES, [r.accountId]);
}

export function addReservationExtension(writes: Writes, r: Reservation): Writes {
  return writes
    .add(
      (p) => `UPDATE reservations SET holds = ${p(holdsJson(r.holds))}::jsonb, expires_at = ${p(r.expiresAt.toISOString())}
        WHERE id = ${p(r.id)} AND status = 'active'`,
    )
    .notify(ACCOUNT_CHANGES, [r.accountId]);
}

export function addReservationRelease(writes: Writes, r: Pick<Reservation, 'id' | 'accountId'>, now: Date): Writes {
  return writes
    .add((p) => `UPDATE reservations SET status = 'released', closed_at = ${p(now.toISOString())} WHERE id = ${p(r.id)} AND status = 'active'`)
    .notify(ACCOUNT_CHANGES, [r.accountId]);
}

/** Settles reservations by the events that named them; the books' own writes tell other processes. */
export function addSettlementWrites(writes: Writes, settlements: readonly { reservationId: string; eventId: string; cost: Money }[], now: Date): Writes {
  if (settlements.length === 0) return writes;
  return writes.add(
    (p) => `UPDATE reservations r SET status = 'settled', closed_at = ${p(now.toISOString())}, settled_by = s.event_id, actual_cost = s.cost
      FROM unnest(${p(settlements.map((s) => s.reservationId))}::text[], ${p(settlements.map((s) => s.eventId))}::text[],
                  ${p(settlements.map((s) => decimalString(s.cost)))}::numeric[]) AS s(id, event_id, cost)
      WHERE r.id = s.id AND r.status = 'active'`,
  );
}
