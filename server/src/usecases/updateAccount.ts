// Changes an account's name, contact e-mail or metadata (given keys set, null removes one); plan changes have their own use case.
import type { Account } from '../domain/account/Account';
import { DomainFailure, notFound } from '../domain/errors';
import { ACCOUNT_COLUMNS, type AccountRow, toAccount } from '../store/rows';
import type { Context } from './Context';

export async function updateAccount(context: Context, accountId: string, change: { name?: string; email?: string | null; metadata?: Record<string, string | null> }): Promise<Account> {
  const [row] = await context.db.query<AccountRow>(
    `UPDATE accounts SET name = COALESCE($2, name), email = CASE WHEN $3::boolean THEN $4 ELSE email END,
       metadata = jsonb_strip_nulls(metadata || $5::jsonb)
     WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
    [accountId, change.name ?? null, change.email !== undefined, change.email ?? null, JSON.stringify(change.metadata ?? {})],
  );
  if (!row) throw new DomainFailure(notFound('account', accountId));
  return toAccount(row);
}
