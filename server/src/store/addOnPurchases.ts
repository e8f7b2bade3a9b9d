// The add-on packs accounts bought: written with the purchase, read by the cycle's invoice that bills them.
import { decimalString, money, type Money } from '../domain/money';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

export interface AddOnPurchase {
  id: string;
  accountId: string;
  addOn: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  purchasedAt: Date;
}

export function addAddOnPurchaseWrites(writes: Writes, purchase: AddOnPurchase): Writes {
  return writes.add(
    (p) => `INSERT INTO add_on_purchases (id, account_id, add_on, name, quantity, unit_price, purchased_at)
     VALUES (${p(purchase.id)}, ${p(purchase.accountId)}, ${p(purchase.addOn)}, ${p(purchase.name)}, ${p(purchase.quantity)}, ${p(decimalString(purchase.unitPrice))}::numeric, ${p(purchase.purchasedAt.toISOString())}::timestamptz)`,
  );
}

/** The packs bought from `period.start` to before `period.end`, in the order they were bought. */
export async function readAddOnsBought(tx: Queryable, accountId: string, period: { start: Date; end: Date }) {
  const rows = await tx.query<{ name: string; quantity: number; unit_price: string }>(
    'SELECT name, quantity, unit_price::text FROM add_on_purchases WHERE account_id = $1 AND purchased_at >= $2 AND purchased_at < $3 ORDER BY purchased_at, id',
    [accountId, period.start.toISOString(), period.end.toISOString()],
  );
  return rows.map((a) => ({ name: a.name, quantity: a.quantity, unitPrice: money(a.unit_price) }));
}
