// Rented phone numbers: rows, look-ups and the write of a new rental.
import { decimalString, money } from '../domain/money';
import type { PhoneNumber, PhoneNumberType } from '../domain/phoneNumber/PhoneNumber';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

const COLUMNS = 'id, account_id, number, type, country, monthly_rent, rented_at, released_at';

interface PhoneNumberRow {
  id: string;
  account_id: string;
  number: string;
  type: PhoneNumberType;
  country: string;
  monthly_rent: string;
  rented_at: Date;
  released_at: Date | null;
  [column: string]: unknown;
}

function toPhoneNumber(row: PhoneNumberRow): PhoneNumber {
  return {
    id: row.id,
    accountId: row.account_id,
    number: row.number,
    type: row.type,
    country: row.country,
    monthlyRent: money(row.monthly_rent),
    rentedAt: row.rented_at,
    releasedAt: row.released_at,
  };
}

/** The account's numbers, oldest rental first; released ones too when asked. */
export async function readPhoneNumbers(db: Queryable, accountId: string, includeReleased: boolean): Promise<PhoneNumber[]> {
  const rows = await db.query<PhoneNumberRow>(
    `SELECT ${COLUMNS} FROM phone_numbers WHERE account_id = $1 ${includeReleased ? '' : 'AND released_at IS NULL'} ORDER BY rented_at, id`,
    [accountId],
  );
  return rows.map(toPhoneNumber);
}

export async function readPhoneNumber(db: Queryable, accountId: string, id: string): Promise<PhoneNumber | undefined> {
  const [row] = await db.query<PhoneNumberRow>(`SELECT ${COLUMNS} FROM phone_numbers WHERE account_id = $1 AND id = $2`, [accountId, id]);
  return row ? toPhoneNumber(row) : undefined;
}

/** The rental that holds this number now, by any account. */
export async function readActiveRental(db: Queryable, number: string): Promise<PhoneNumber | undefined> {
  const [row] = await db.query<PhoneNumberRow>(`SELECT ${COLUMNS} FROM phone_numbers WHERE number = $1 AND released_at IS NULL`, [number]);
  return row ? toPhoneNumber(row) : undefined;
}

export function addRentalWrites(writes: Writes, n: PhoneNumber): Writes {
  return writes.add(
    (p) => `INSERT INTO phone_numbers (${COLUMNS}) VALUES (${p(n.id)}, ${p(n.accountId)}, ${p(n.number)}, ${p(n.type)}, ${p(n.country)},
      ${p(decimalString(n.monthlyRent))}::numeric, ${p(n.rentedAt.toISOString())}::timestamptz, NULL)`,
  );
}

/** Ends a rental; undefined when it was not active (already released, or not the account's). */
export async function releaseRental(db: Queryable, { accountId, id, at }: { accountId: string; id: string; at: Date }): Promise<PhoneNumber | undefined> {
  const [row] = await db.query<PhoneNumberRow>(
    `UPDATE phone_numbers SET released_at = $3 WHERE account_id = $1 AND id = $2 AND released_at IS NULL RETURNING ${COLUMNS}`,
    [accountId, id, at.toISOString()],
  );
  return row ? toPhoneNumber(row) : undefined;
}
