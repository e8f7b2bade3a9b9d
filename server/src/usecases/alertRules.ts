// Alert rules: created for one account or as a default for all, listed and removed.
import type { AlertRule } from '../domain/alerts/AlertRule';
import { findPlan } from '../domain/catalog/Catalog';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import type { Money } from '../domain/money';
import { ALERT_RULE_COLUMNS, type AlertRuleRow, toAlertRule } from '../store/alerts';
import { decimalString } from '../domain/money';
import { readAccount } from '../store/rows';
import type { Context } from './Context';
import { madeByRequest } from '../audit/RequestTrail';

export type AlertRuleInput =
  | { kind: 'allowance_percent'; account?: string | undefined; meter: string; thresholds: Money[]; description?: string | undefined }
  | { kind: 'balance_below' | 'cycle_spend_above'; account?: string | undefined; thresholds: Money[]; description?: string | undefined };

export interface StoredAlertRule {
  rule: AlertRule;
  description: string | null;
  createdAt: Date;
}

export async function createAlertRule(context: Context, input: AlertRuleInput): Promise<StoredAlertRule> {
  if (input.account !== undefined) {
    const account = await readAccount(context.db, input.account);
    if (!account) throw new DomainFailure(notFound('account', input.account));
    if (input.kind === 'allowance_percent' && !findPlan(context.catalog, account.plan)?.allowances.some((a) => a.meter === input.meter)) {
      throw new DomainFailure(validationFailed('meter', `the account's plan '${account.plan}' has no allowance '${input.meter}'`));
    }
  } else if (input.kind === 'allowance_percent' && !context.catalog.plans.some((p) => p.allowances.some((a) => a.meter === input.meter))) {
    throw new DomainFailure(validationFailed('meter', `no plan of the catalog has an allowance '${input.meter}'`));
  }
  const id = context.newId('alr');
  const thresholds = [...new Map(input.thresholds.map((t) => [t.toFixed(), t])).values()].sort((a, b) => a.comparedTo(b));
  const now = context.clock.now();
  madeByRequest(id);
  await context.db.transaction((tx) =>
    tx.query(
    `INSERT INTO alert_rules (id, account_id, kind, meter, thresholds, description, created_at) VALUES ($1, $2, $3, $4, $5::numeric[], $6, $7)`,
    [id, input.account ?? null, input.kind, input.kind === 'allowance_percent' ? input.meter : null, thresholds.map(decimalString), input.description ?? null, now.toISOString()],
    ),
  );
  const rule: AlertRule =
    input.kind === 'allowance_percent'
      ? { id, accountId: input.account ?? null, kind: input.kind, meter: input.meter, thresholds }
      : { id, accountId: input.account ?? null, kind: input.kind, thresholds };
  return { rule, description: input.description ?? null, createdAt: now };
}

export async function listAlertRules(context: Context, account: string | undefined): Promise<StoredAlertRule[]> {
  const rows = await context.db.query<AlertRuleRow>(
    `SELECT ${ALERT_RULE_COLUMNS} FROM alert_rules WHERE $1::text IS NULL OR account_id = $1 OR account_id IS NULL ORDER BY created_at, id`,
    [account ?? null],
  );
  return rows.map(stored);
}

export async function getAlertRule(context: Context, id: string): Promise<StoredAlertRule> {
  const [row] = await context.db.query<AlertRuleRow>(`SELECT ${ALERT_RULE_COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
  if (!row) throw new DomainFailure(notFound('alert_rule', id));
  return stored(row);
}

export async function deleteAlertRule(context: Context, id: string): Promise<void> {
  await context.db.transaction(async (tx) => {
    const rows = await tx.query(`DELETE FROM alert_rules WHERE id = $1 RETURNING id`, [id]);
    if (rows.length === 0) throw new DomainFailure(notFound('alert_rule', id));
  });
}

const stored = (row: AlertRuleRow): StoredAlertRule => ({ rule: toAlertRule(row), description: row.description, createdAt: row.created_at });
