// Customers' requests to buy balance: written when made and when answered with a checkout link;
// read with the top-up that paid them (the top-up whose reference is the request's id).
import type { TopUpRequest } from '../domain/recharge/TopUpRequest';
import { decimalString, money } from '../domain/money';
import { ACCOUNT_CHANGES, accountChangePayloads } from './books';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

// A type alias, not an interface: query rows need an index signature.
type RequestRow = {
  id: string;
  account_id: string;
  amount: string;
  price: string | null;
  currency: string | null;
  requested_at: Date;
  checkout_url: string | null;
  answered_at: Date | null;
  paid_at: Date | null;
};

const SELECT = `SELECT r.id, r.account_id, r.amount::text, r.price::text, r.currency, r.requested_at, r.checkout_url, r.answered_at, t.created_at AS paid_at
  FROM topup_requests r LEFT JOIN topups t ON t.account_id = r.account_id AND t.reference = r.id`;

const fromRow = (row: RequestRow): TopUpRequest => ({
  id: row.id,
  accountId: row.account_id,
  amount: money(row.amount),
  price: row.price === null ? null : money(row.price),
  currency: row.currency,
  requestedAt: row.requested_at,
  checkoutUrl: row.checkout_url,
  answeredAt: row.answered_at,
  paidAt: row.paid_at,
});

export function addTopUpRequestWrites(writes: Writes, request: TopUpRequest): Writes {
  return writes.add(
    (p) => `INSERT INTO topup_requests (id, account_id, amount, price, currency, requested_at)
     VALUES (${p(request.id)}, ${p(request.accountId)}, ${p(decimalString(request.amount))}::numeric,
       ${p(request.price === null ? null : decimalString(request.price))}::numeric, ${p(request.currency)}, ${p(request.requestedAt.toISOString())}::timestamptz)`,
  );
}

/** Sets the request's checkout link (a later answer replaces an expired one); the account's dashboards read it at once. */
export function addCheckoutWrites(writes: Writes, { request, url, at }: { request: Pick<TopUpRequest, 'id' | 'accountId'>; url: string; at: Date }): Writes {
  return writes
    .add((p) => `UPDATE topup_requests SET checkout_url = ${p(url)}, answered_at = ${p(at.toISOString())}::timestamptz WHERE id = ${p(request.id)}`)
    .notify(ACCOUNT_CHANGES, accountChangePayloads([request.accountId]));
}

export async function readTopUpRequest(db: Queryable, id: string): Promise<TopUpRequest | undefined> {
  const [row] = await db.query<RequestRow>(`${SELECT} WHERE r.id = $1`, [id]);
  return row && fromRow(row);
}

/** The account's latest request, if it made any. */
export async function readLatestTopUpRequest(db: Queryable, accountId: string): Promise<TopUpRequest | undefined> {
  const [row] = await db.query<RequestRow>(`${SELECT} WHERE r.account_id = $1 ORDER BY r.requested_at DESC, r.id DESC LIMIT 1`, [accountId]);
  return row && fromRow(row);
}
