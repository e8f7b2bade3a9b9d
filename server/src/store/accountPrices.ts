// An account's own prices: one JSON column of its row, so that every read of the account has them.
import type { Writes } from './Writes';

export function addAccountPricesWrite(writes: Writes, accountId: string, prices: Record<string, unknown>): Writes {
  return writes.add((p) => `UPDATE accounts SET prices = ${p(JSON.stringify(prices))}::jsonb WHERE id = ${p(accountId)}`);
}
