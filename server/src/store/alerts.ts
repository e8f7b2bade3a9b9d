// Alert rules, their remembered crossings and the cycle spend they watch: rows and writes.
import type { AlertRule } from '../domain/alerts/AlertRule';
import { crossingKey } from '../domain/alerts/AlertRule';
import type { AccountSignals } from '../domain/alerts/accountSignals';
import { decimalString, money, type Money, ZERO } from '../domain/money';
import type { Queryable } from './Database';
import type { ReadPart, ReadResults } from './Reads';
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

const ALERT_RULE_COLUMNS = 'id, account_id, kind, meter, thresholds::text[] AS thresholds, description, created_at';

function toAlertRule(row: AlertRuleRow): AlertRule {
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

/** What alert evaluation reads for these accounts and their current cycles (accounts locked), as parts of one read. */
export function alertStateReads(periods: readonly { accountId: string; cyclePeriod: string }[]) {
  const accountIds = [...new Set(periods.map((p) => p.accountId))];
  return {
    alertRules: {
      sql: (p) => `SELECT ${ALERT_RULE_COLUMNS} FROM alert_rules WHERE account_id IS NULL OR account_id = ANY(${p(accountIds)}::text[]) ORDER BY created_at, id`,
      map: (rows) => rows as AlertRuleRow[],
    },
    alertCrossings: {
      sql: (p) => `SELECT rule_id, account_id, threshold::text AS threshold, period FROM alert_crossings WHERE account_id = ANY(${p(accountIds)}::text[])`,
      map: (rows) => rows as { rule_id: string; account_id: string; threshold: string; period: string }[],
    },
    cycleSpend: {
      sql: (p) =>
        `SELECT s.account_id, s.period, s.amount::text AS amount FROM cycle_spend s
         JOIN unnest(${p(periods.map((x) => x.accountId))}::text[], ${p(periods.map((x) => x.cyclePeriod))}::text[]) AS k(a, p) ON s.account_id = k.a AND s.period = k.p`,
      map: (rows) => rows as { account_id: string; period: string; amount: string }[],
    },
  } satisfies Record<string, ReadPart<unknown>>;
}

export function toAlertState(
  periods: readonly { accountId: string; cyclePeriod: string }[],
  read: ReadResults<ReturnType<typeof alertStateReads>>,
): AlertState {
  const accountIds = [...new Set(periods.map((p) => p.accountId))];
  const rules = new Map<string, AlertRule[]>(accountIds.map((id) => [id, []]));
  for (const row of read.alertRules) {
    const rule = toAlertRule(row);
    for (const id of row.account_id === null ? accountIds : [row.account_id]) rules.get(id)?.push(rule);
  }
  const fired = new Map<string, Set<string>>(accountIds.map((id) => [id, new Set()]));
  for (const row of read.alertCrossings) fired.get(row.account_id)?.add(crossingKey(row.rule_id, money(row.threshold), row.period));
  const spend = new Map(read.cycleSpend.map((row) => [`${row.account_id}|${row.period}`, money(row.amount)]));
  return { rules, fired, spend };
}

/** What the account was charged in the cycle `period` (a cycle's key) so far. */
export async function readCycleSpend(db: Queryable, accountId: string, period: string): Promise<Money> {
  const [row] = await db.query<{ amount: string }>('SELECT amount FROM cycle_spend WHERE account_id = $1 AND period = $2', [accountId, period]);
  return row ? money(row.amount) : ZERO;
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
         ${p(r.map((x) => decimalString(x.threshold)))}::numeric[], ${p(r.map((x) => x.period))}::text[]) AS u(r, a, t, pe)
       WHERE c.rule_id = u.r AND c.account_id = u.a AND c.threshold = u.t AND c.period = u.pe`,
    );
  }
  return writes;
}

export interface StoredAlertRule {
  rule: AlertRule;
  description: string | null;
  createdAt: Date;
}

const stored = (row: AlertRuleRow): StoredAlertRule => ({ rule: toAlertRule(row), description: row.description, createdAt: row.created_at });

/** The account's own rules and the defaults for all; every rule without an account. */
export async function readAlertRules(db: Queryable, account: string | undefined): Promise<StoredAlertRule[]> {
  const rows = await db.query<AlertRuleRow>(
    `SELECT ${ALERT_RULE_COLUMNS} FROM alert_rules WHERE $1::text IS NULL OR account_id = $1 OR account_id IS NULL ORDER BY created_at, id`,
    [account ?? null],
  );
  return rows.map(stored);
}

export async function readAlertRule(db: Queryable, id: string): Promise<StoredAlertRule | undefined> {
  const [row] = await db.query<AlertRuleRow>(`SELECT ${ALERT_RULE_COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
  return row && stored(row);
}

export function addAlertRuleWrite(writes: Writes, { rule, description, createdAt }: StoredAlertRule): Writes {
  return writes.add(
    (p) => `INSERT INTO alert_rules (id, account_id, kind, meter, thresholds, description, created_at)
     VALUES (${p(rule.id)}, ${p(rule.accountId)}, ${p(rule.kind)}, ${p(rule.kind === 'allowance_percent' ? rule.meter : null)},
       ${p(rule.thresholds.map(decimalString))}::numeric[], ${p(description)}, ${p(createdAt.toISOString())}::timestamptz)`,
  );
}

/** False when there was no such rule. */
export async function deleteAlertRuleRow(tx: Queryable, id: string): Promise<boolean> {
  const rows = await tx.query(`DELETE FROM alert_rules WHERE id = $1 RETURNING id`, [id]);
  return rows.length > 0;
}
