// Auto-recharge settings of an account, and the request it has open.
import { DomainFailure, notFound } from '../domain/errors';
import type { AutoRecharge } from '../domain/recharge/AutoRecharge';
import { readAutoRecharge, saveAutoRecharge, type StoredAutoRecharge } from '../store/recharge';
import { readAccount } from '../store/rows';
import type { Context } from './Context';

/** Settings as the operator gives them; the failure count is the server's own. */
export type AutoRechargeInput = Omit<AutoRecharge, 'failures'>;

export async function setAutoRecharge(context: Context, accountId: string, input: AutoRechargeInput): Promise<StoredAutoRecharge> {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const settings: StoredAutoRecharge = { accountId, ...input, failures: 0, disabledReason: null, updatedAt: context.clock.now() };
  await context.db.transaction((tx) => saveAutoRecharge(tx, settings));
  return settings;
}

export async function getAutoRecharge(context: Context, accountId: string) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const settings = await readAutoRecharge(context.db, accountId);
  const [open] = await context.db.query<{ id: string; reference: string; amount: string; requested_at: Date; due_at: Date }>(
    `SELECT id, reference, amount::text AS amount, requested_at, due_at FROM recharge_requests WHERE account_id = $1 AND status = 'requested'`,
    [accountId],
  );
  return { settings, open };
}
