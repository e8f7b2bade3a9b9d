// Alert rules, their remembered crossings and the cycle spend they watch: rows and writes.
import type { AlertRule } from '../domain/alerts/AlertRule';
import { crossingKey } from '../domain/alerts/AlertRule';
import type { AccountSignals } from '../domain/alerts/accountSignals';
import { decimalString, money, type Money } from '../domain/money';
import type { Queryable } from './Database';
import type { Writes } from './Writes';

export interface AlertRuleRow {
  id: string;
  account_id: string | null;
  kind: AlertRule['kind'];
  meter: string | null;
  thresholds: string[];
  description: string | null;
  created_at: Date;
  [column: string]: unknown;
}

export const ALERT_RULE_COLUMNS = 'id, account_id, kind, meter, thresholds::text[] AS thresholds, description, created_at';

export function toAlertRule(row: AlertRuleRow): AlertRule {
  const base = { id: row.id, accountId: row.account_id, thresholds: row.thresholds.map((t) => money(t)) };
  return row.kind === 'allowance_percent' ? { ...base, kind: row.kind, meter: row.meter! } : { ...base, kind: row.kind };
}

export interface AlertState {
  /** Rules that apply, by account: its own and those for every account. */
  rules: Map<string, AlertRule[]>;
  /** Crossings already fired, by account, as crossing keys. */
  fired: Map<string, Set<string>>;
  /** Spend so far, by `${account}|${cycle start}`. */
  spend: Map<string, Money>;
}

/** Reads what alert evaluation needs for these accounts and their current cycles (accounts locked). */
export async function loadAlertState(tx: Queryable, periods: readonly { accountId: string; cyclePeriod: string }[]): Promise<AlertState> {
  const accountIds = [...new Set(periods.map((p) => p.accountId))];
  const ruleRows = await tx.query<AlertRuleRow>(
    `SELECT ${ALERT_RULE_COLUMNS} FROM alert_rules WHERE account_id IS NULL OR account_id = ANY($1::text[]) ORDER BY created_at, id`,
    [accountIds],
  );
  const rules = new Map<string, AlertRule[]>(accountIds.map((id) => [id, []]));
  for (const row of ruleRows) {
    const rule = toAlertRule(row);
    for (const id of row.account_id === null ? accountIds : [row.account_id]) rules.get(id)?.push(rule);
  }
  const spend = new Map<string, Money>();
  const fired = new Map<string, Set<string>>(accountIds.map((id) => [id, new Set()]));
  // Only spend rules read the cycle's spend; most ingestion transactions need not fetch it.
  if (ruleRows.some((row) => row.kind === 'cycle_spend_above')) {
    const spendRows = await tx.query<{ account_id: string; period: string; amount: string }>(
      `SELECT s.account_id, s.period, s.amount FROM cycle_spend s JOIN unnest($1::text[], $2::text[]) AS k(a, p) ON s.account_id = k.a AND s.period = k.p`,
      [periods.map((p) => p.accountId), periods.map((p) => p.cyclePeriod)],
    );
    for (const row of spendRows) spend.set(`${row.account_id}|${row.period}`, money(row.amount));
  }
  if (ruleRows.length > 0) {
    const crossingRows = await tx.query<{ rule_id: string; account_id: string; threshold: string; period: string }>(
      `SELECT rule_id, account_id, threshold::text AS threshold, period FROM alert_crossings WHERE account_id = ANY($1::text[])`,
      [accountIds],
    );
    for (const row of crossingRows) fired.get(row.account_id)?.add(crossingKey(row.rule_id, money(row.threshold), row.period));
  }
  return { rules, fired, spend };
}

export function addSpendWrites(writes: Writes, spend: readonly { accountId: string; period: string; amount: Money }[]): Writes {
  if (spend.length === 0) return writes;
  return writes.add(
    (p) => `INSERT INTO cycle_spend (account_id, period, amount)
     SELECT * FROM unnest(${p(spend.map((s) => s.accountId))}::text[], ${p(spend.map((s) => s.period))}::text[], ${p(spend.map((s) => decimalString(s.amount)))}::numeric[])
     ON CONFLICT (account_id, period) DO UPDATE SET amount = cycle_spend.amount + EXCLUDED.amount`,
  );
}

export function addCrossingWrites(writes: Writes, signals: Pick<AccountSignals, 'fired' | 'rearmed'>, now: Date): Writes {
  const f = signals.fired;
  if (f.length > 0) {
    writes.add(
      (p) => `INSERT INTO alert_crossings (rule_id, account_id, threshold, period, fired_at)
       SELECT r, a, t, pe, ${p(now.toISOString())}::timestamptz FROM unnest(${p(f.map((x) => x.ruleId))}::text[], ${p(f.map((x) => x.accountId))}::text[],
         ${p(f.map((x) => decimalString(x.threshold)))}::numeric[], ${p(f.map((x) => x.period))}::text[]) AS u(r, a, t, pe)
       ON CONFLICT DO NOTHING`,
    );
  }
  const r = signals.rearmed;
  if (r.length > 0) {
    writes.add(
      (p) => `DELETE FROM alert_crossings c USING unnest(${p(r.map((x) => x.ruleId))}::text[], ${p(r.map((x) => x.accountId))}::text[],
         ${p(r.map((x) => decimalString(x.threshold)))}::numeric[]) AS u(r, a, t)
       WHERE c.rule_id = u.r AND c.account_id = u.a AND c.threshold = u.t AND c.period = 'balance'`,
    );
  }
  return writes;
}
