// Changes an account's name, contact e-mail, metadata (given keys set, null removes one) or billing
// details (replaced whole); plan changes have their own use case.
import type { Account, AccountBilling } from '../domain/account/Account';
import { findPlan } from '../domain/catalog/Catalog';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { unknownPlan } from '../domain/refusals';
import { limitViolations, planLimitsExceeded } from '../domain/plan/PlanChange';
import { ACCOUNT_COLUMNS, type AccountRow, lockAccounts, toAccount } from '../store/rows';
import type { Context } from './Context';

export async function updateAccount(
  context: Context,
  accountId: string,
  change: { name?: string; email?: string | null; metadata?: Record<string, string | null>; billing?: AccountBilling },
): Promise<Account> {
  return context.db.transaction(async (tx) => {
    const [row] = await tx.query<AccountRow>(
      `UPDATE accounts SET name = COALESCE($2, name), email = CASE WHEN $3::boolean THEN $4 ELSE email END,
         metadata = jsonb_strip_nulls(metadata || $5::jsonb), billing = COALESCE($6::jsonb, billing)
       WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
      [accountId, change.name ?? null, change.email !== undefined, change.email ?? null, JSON.stringify(change.metadata ?? {}), change.billing ? JSON.stringify(change.billing) : null],
    );
    if (!row) throw new DomainFailure(notFound('account', accountId));
    return toAccount(row);
  });
}

/**
 * Replaces the account's counted resources; a resource no plan limits is refused by name, and so is
 * a count past what the account's plan allows (plan limits hold at all times, not only at a change).
 */
export async function setResources(context: Context, accountId: string, resources: Record<string, number>): Promise<Account> {
  const known = new Set(context.catalog.plans.flatMap((p) => Object.keys(p.limits)));
  for (const name of Object.keys(resources)) {
    if (!known.has(name)) throw new DomainFailure(validationFailed(name, `no plan limits '${name}'; the catalog limits ${[...known].join(', ') || 'nothing'}`));
  }
  return context.db.transaction(async (tx) => {
    const account = (await lockAccounts(tx, [accountId])).get(accountId);
    if (!account) throw new DomainFailure(notFound('account', accountId));
    const plan = findPlan(context.catalog, account.plan);
    if (!plan) throw new DomainFailure(unknownPlan(account.plan));
    const limits = limitViolations(plan, resources);
    if (limits.length > 0) {
      throw new DomainFailure(planLimitsExceeded(plan, limits, [], limits[0]!.limit));
    }
    const [row] = await tx.query<AccountRow>(`UPDATE accounts SET resources = $2::jsonb WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}`, [accountId, JSON.stringify(resources)]);
    return toAccount(row!);
  });
}
