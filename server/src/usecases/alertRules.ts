// Alert rules: created for one account or as a default for all, listed and removed.
import type { AlertRule } from '../domain/alerts/AlertRule';
import { findPlan } from '../domain/catalog/Catalog';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import type { Money } from '../domain/money';
import { addAlertRuleWrite, deleteAlertRuleRow, readAlertRule, readAlertRules, type StoredAlertRule } from '../store/alerts';
import { Writes } from '../store/Writes';
import { writeAsIs } from './AccountWrite';
import { readAccount } from '../store/accounts';
import type { Context } from './Context';
import { madeByRequest } from '../audit/RequestTrail';

export type AlertRuleInput =
  | { kind: 'allowance_percent'; account?: string | undefined; meter: string; thresholds: Money[]; description?: string | undefined }
  | { kind: 'balance_below' | 'cycle_spend_above'; account?: string | undefined; thresholds: Money[]; description?: string | undefined };

export async function createAlertRule(context: Context, input: AlertRuleInput): Promise<StoredAlertRule> {
  if (input.account !== undefined) {
    const account = await readAccount(context.db, input.account);
    if (!account) throw new DomainFailure(notFound('account', input.account));
    if (
      input.kind === 'allowance_percent' &&
      !findPlan(await context.catalogs.forAccount(account), account.plan)?.allowances.some((a) => a.meter === input.meter)
    ) {
      throw new DomainFailure(validationFailed('meter', `the account's plan '${account.plan}' has no allowance '${input.meter}'`));
    }
  } else if (
    input.kind === 'allowance_percent' &&
    !(await context.catalogs.latestCatalog()).plans.some((p) => p.allowances.some((a) => a.meter === input.meter))
  ) {
    throw new DomainFailure(validationFailed('meter', `no plan of the catalog has an allowance '${input.meter}'`));
  }
  const id = context.newId('alr');
  const thresholds = [...new Map(input.thresholds.map((t) => [t.toFixed(), t])).values()].sort((a, b) => a.comparedTo(b));
  const now = context.clock.now();
  madeByRequest(id);
  const rule: AlertRule =
    input.kind === 'allowance_percent'
      ? { id, accountId: input.account ?? null, kind: input.kind, meter: input.meter, thresholds }
      : { id, accountId: input.account ?? null, kind: input.kind, thresholds };
  const created = { rule, description: input.description ?? null, createdAt: now };
  await writeAsIs(context, { accounts: [], run: async () => ({ answer: undefined, writes: addAlertRuleWrite(new Writes(), created) }) });
  return created;
}

export async function listAlertRules(context: Context, account: string | undefined): Promise<StoredAlertRule[]> {
  return readAlertRules(context.db, account);
}

export async function getAlertRule(context: Context, id: string): Promise<StoredAlertRule> {
  const rule = await readAlertRule(context.db, id);
  if (!rule) throw new DomainFailure(notFound('alert_rule', id));
  return rule;
}

export async function deleteAlertRule(context: Context, id: string): Promise<void> {
  await writeAsIs(context, {
    accounts: [],
    run: async ({ tx }) => {
      if (!(await deleteAlertRuleRow(tx, id))) throw new DomainFailure(notFound('alert_rule', id));
      return { answer: undefined };
    },
  });
}
