// Changes an account's name, contact e-mail, metadata (given keys set, null removes one) or billing
// details (replaced whole); plan changes have their own use case.
import type { Account, AccountBilling } from '../domain/account/Account';
import { DomainFailure, notFound } from '../domain/errors';
import { ACCOUNT_COLUMNS, type AccountRow, toAccount } from '../store/rows';
import type { Context } from './Context';

export async function updateAccount(
  context: Context,
  accountId: string,
  change: { name?: string; email?: string | null; metadata?: Record<string, string | null>; billing?: AccountBilling },
): Promise<Account> {
  const [row] = await context.db.query<AccountRow>(
    `UPDATE accounts SET name = COALESCE($2, name), email = CASE WHEN $3::boolean THEN $4 ELSE email END,
       metadata = jsonb_strip_nulls(metadata || $5::jsonb), billing = COALESCE($6::jsonb, billing)
     WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
    [accountId, change.name ?? null, change.email !== undefined, change.email ?? null, JSON.stringify(change.metadata ?? {}), change.billing ? JSON.stringify(change.billing) : null],
  );
  if (!row) throw new DomainFailure(notFound('account', accountId));
  return toAccount(row);
}
