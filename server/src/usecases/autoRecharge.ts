// Auto-recharge settings of an account, and the request it has open.
import { DomainFailure, notFound } from '../domain/errors';
import type { AutoRecharge } from '../domain/recharge/AutoRecharge';
import { readAutoRecharge, readOpenRechargeRequest, saveAutoRecharge, type StoredAutoRecharge } from '../store/recharge';
import { writeAsIs } from './AccountWrite';
import { readAccount } from '../store/accounts';
import type { Context } from './Context';

/** Settings as the operator gives them; the failure count is the server's own. */
export type AutoRechargeInput = Omit<AutoRecharge, 'failures'>;

export async function setAutoRecharge(context: Context, accountId: string, input: AutoRechargeInput): Promise<StoredAutoRecharge> {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const settings: StoredAutoRecharge = { accountId, ...input, failures: 0, disabledReason: null, updatedAt: context.clock.now() };
  await writeAsIs(context, { accounts: [], run: async ({ tx }) => ({ answer: await saveAutoRecharge(tx, settings) }) });
  return settings;
}

export async function getAutoRecharge(context: Context, accountId: string) {
  if (!(await readAccount(context.db, accountId))) throw new DomainFailure(notFound('account', accountId));
  const settings = await readAutoRecharge(context.db, accountId);
  const open = await readOpenRechargeRequest(context.db, accountId);
  return { settings, open };
}
