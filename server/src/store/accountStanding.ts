// What an account's balance and authorize are computed from beside its row, read in one statement:
// its open grants, its allowances' use in the given periods, its active reservations, its spend and
// its tiered services' counts in the cycle. On the embedded store, which runs one transaction at a
// time, each statement outside a transaction waits for the one running; one statement waits once.
import type { Grant } from '../domain/ledger/drawGrants';
import { money, type Money, ZERO } from '../domain/money';
import type { Reservation } from '../domain/reservation/Reservation';
import type { Queryable } from './Database';
import { jsonDate, jsonDateOrNull, type ReadPart, readTogether } from './Reads';
import { RESERVATION_COLUMNS, type ReservationRow, toReservation } from './reservations';
import { GRANT_JSON_COLUMNS, grantRowFromJson, toGrant } from './rows';

export interface AccountStanding {
  grants: Grant[];
  /** Service units used, by `${meter}|${period}`, for each period asked (zero where none is stored). */
  used: Map<string, Money>;
  reservations: Reservation[];
  /** Spent in the cycle. */
  spent: Money;
  /** Tiered services' chargeable units counted in the cycle, by service. */
  tierUsed: Map<string, Money>;
}

export async function readAccountStanding(
  db: Queryable,
  { accountId, periods, cycle, now }: { accountId: string; periods: readonly (readonly [meter: string, period: string])[]; cycle: string; now: Date },
): Promise<AccountStanding> {
  const read = await readTogether(db, {
    grants: {
      sql: (p) => `SELECT ${GRANT_JSON_COLUMNS} FROM grants WHERE account_id = ${p(accountId)} AND remaining > 0`,
      map: (rows) => rows.map((row) => toGrant(grantRowFromJson(row))),
    },
    used: {
      sql: (p) => `SELECT u.meter, u.period, u.used::text AS used FROM allowance_usage u
        JOIN unnest(${p(periods.map((k) => k[0]))}::text[], ${p(periods.map((k) => k[1]))}::text[]) AS k(m, p) ON u.meter = k.m AND u.period = k.p
        WHERE u.account_id = ${p(accountId)}`,
      map: (rows) => new Map(rows.map((row) => [`${row['meter'] as string}|${row['period'] as string}`, money(row['used'] as string)])),
    },
    reservations: activeReservationsRead([accountId], now),
    spent: {
      sql: (p) => `SELECT amount::text AS amount FROM cycle_spend WHERE account_id = ${p(accountId)} AND period = ${p(cycle)}`,
      map: (rows) => (rows[0] ? money(rows[0]['amount'] as string) : ZERO),
    },
    tierUsed: {
      sql: (p) => `SELECT service, quantity::text AS quantity FROM tier_usage WHERE account_id = ${p(accountId)} AND period = ${p(cycle)}`,
      map: (rows) => new Map(rows.map((row) => [row['service'] as string, money(row['quantity'] as string)])),
    },
  });
  const used = new Map(periods.map(([meter, period]) => [`${meter}|${period}`, read.used.get(`${meter}|${period}`) ?? ZERO]));
  return { ...read, used, reservations: read.reservations.get(accountId) ?? [] };
}

/** The reservations of these accounts active at `now`, by account: a part of a caller's read. */
export function activeReservationsRead(accountIds: readonly string[], now: Date): ReadPart<Map<string, Reservation[]>> {
  return {
    sql: (p) =>
      `SELECT ${RESERVATION_COLUMNS.replace('actual_cost', 'actual_cost::text AS actual_cost')} FROM reservations
        WHERE account_id = ANY(${p(accountIds)}::text[]) AND status = 'active' AND expires_at > ${p(now.toISOString())}`,
    map: (rows) =>
      Map.groupBy(
        rows.map((row) =>
          toReservation({
            ...row,
            created_at: jsonDate(row['created_at']),
            expires_at: jsonDate(row['expires_at']),
            closed_at: jsonDateOrNull(row['closed_at']),
          } as ReservationRow),
        ),
        (reservation) => reservation.accountId,
      ),
  };
}
