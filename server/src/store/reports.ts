// Report queries: sums of the usage rollups over whole hours, for one account or all; whole days
// are read from the daily rollups, and increments not yet folded into either are read as they wait.
import { type BuiltInGroupBy, type GroupBy, isBuiltInGroupBy, type MeterSum, RECURRING_CHANNELS, type RollupSum } from '../domain/report/CostReport';
import type { DayCost } from '../domain/report/spikes';
import { money } from '../domain/money';
import { rollupSpans } from '../domain/report/rollupSpans';
import type { Queryable } from './Database';
import { INCREMENT_RECORD } from './rollups';

// Whitelisted expressions: a group-by name never reaches SQL as text from the request (a declared
// dimension's name travels as a parameter).
const DIMENSION_SQL: Record<BuiltInGroupBy, string> = {
  channel: 'channel',
  service: 'service',
  assistant: 'assistant',
  campaign: 'campaign',
  number: 'number',
  day: `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  month: `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM')`,
};

interface Scope {
  account: string | null;
  from: Date;
  to: Date;
}

const COLUMNS = 'channel, service, unit, assistant, campaign, number, meter, dimensions, meter_unit, meter_used, charges, quantity, chargeable, amount';
/** The same from a waiting increment, whose `dimensions` is NULL where written before migration 040. */
const INCREMENT_COLUMNS = COLUMNS.replace('dimensions', "coalesce(dimensions, '') AS dimensions");

/**
 * The rollups of the scope as one row source `r` with its time in `at`: days where whole, hours at
 * the edges, and the hourly increments still waiting to be folded (store/rollups.ts).
 */
function rollups(scope: Scope): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const accountParam = scope.account === null ? undefined : p(scope.account);
  const account = accountParam === undefined ? '' : `account_id = ${accountParam} AND `;
  const spans = rollupSpans(scope.from, scope.to);
  const parts = spans.hours.map(
    (span) => `SELECT hour AS at, ${COLUMNS} FROM usage_rollups WHERE ${account}hour >= ${p(span.from.toISOString())} AND hour < ${p(span.to.toISOString())}`,
  );
  if (spans.days) {
    parts.push(`SELECT day AS at, ${COLUMNS} FROM usage_rollups_daily WHERE ${account}day >= ${p(spans.days.from.toISOString())} AND day < ${p(spans.days.to.toISOString())}`);
  }
  if (scope.from < scope.to) {
    // Only rows naming the account are parsed at all.
    const mine = accountParam === undefined ? '' : `${accountParam} = ANY(i.accounts) AND x.account_id = ${accountParam} AND `;
    parts.push(
      `SELECT x.hour AS at, ${INCREMENT_COLUMNS} FROM usage_rollup_increments i, json_to_recordset(i.increments::json) AS x(${INCREMENT_RECORD})
       WHERE ${mine}x.hour >= ${p(scope.from.toISOString())} AND x.hour < ${p(scope.to.toISOString())}`,
    );
  }
  // An empty period (never asked for: periods end after they start) still makes valid SQL.
  if (parts.length === 0) parts.push(`SELECT hour AS at, ${COLUMNS} FROM usage_rollups WHERE false`);
  return { sql: `(${parts.join(' UNION ALL ')}) AS r`, params };
}

export async function sumRollups(db: Queryable, scope: Scope, groupBy: readonly GroupBy[]): Promise<RollupSum[]> {
  const { sql, params } = rollups(scope);
  const dimensionSql = (g: GroupBy) => {
    if (isBuiltInGroupBy(g)) return DIMENSION_SQL[g];
    params.push(g);
    return `coalesce(NULLIF(dimensions, '')::jsonb ->> $${params.length}::text, '')`;
  };
  const dims = groupBy.map((g, i) => `${dimensionSql(g)} AS d${i}`);
  const rows = await db.query<Record<string, unknown> & { unit: string; charges: string; quantity: string; chargeable: string; amount: string }>(
    `SELECT ${[...dims, 'unit'].join(', ')}, sum(charges)::text AS charges, sum(quantity)::text AS quantity,
       sum(chargeable)::text AS chargeable, sum(amount)::text AS amount
     FROM ${sql}
     GROUP BY ${[...groupBy.map((_, i) => `d${i}`), 'unit'].join(', ')}`,
    params,
  );
  return rows.map((row) => ({
    dimensions: Object.fromEntries(groupBy.map((g, i) => [g, String(row[`d${i}`])])),
    unit: row.unit,
    charges: Number(row.charges),
    quantity: money(row.quantity),
    chargeable: money(row.chargeable),
    amount: money(row.amount),
  }));
}

export async function sumMeters(db: Queryable, scope: Scope): Promise<MeterSum[]> {
  const { sql, params } = rollups(scope);
  const rows = await db.query<{ meter: string; meter_unit: string; used: string }>(
    `SELECT meter, meter_unit, sum(meter_used)::text AS used FROM ${sql} WHERE meter <> '' GROUP BY meter, meter_unit`,
    params,
  );
  return rows.map((row) => ({ meter: row.meter, unit: row.meter_unit, used: money(row.used) }));
}

/** The period's cost, split into usage and recurring fees (which do not follow a run rate). */
export async function sumAmounts(db: Queryable, scope: Scope): Promise<{ usage: string; fees: string }> {
  const { sql, params } = rollups(scope);
  const fees = `$${params.length + 1}::text[]`;
  const [row] = await db.query<{ usage: string | null; fees: string | null }>(
    `SELECT (sum(amount) FILTER (WHERE NOT channel = ANY(${fees})))::text AS usage, (sum(amount) FILTER (WHERE channel = ANY(${fees})))::text AS fees FROM ${sql}`,
    [...params, RECURRING_CHANNELS],
  );
  return { usage: row?.usage ?? '0', fees: row?.fees ?? '0' };
}

/** Usage cost per day and driver; recurring fees are left out, as they say nothing of usage. */
export async function dailyCosts(db: Queryable, scope: Scope): Promise<DayCost[]> {
  const { sql, params } = rollups(scope);
  const rows = await db.query<{ day: string; channel: string; campaign: string; number: string; assistant: string; amount: string }>(
    `SELECT ${DIMENSION_SQL.day} AS day, channel, campaign, number, assistant, sum(amount)::text AS amount
     FROM ${sql} WHERE NOT channel = ANY($${params.length + 1}::text[]) GROUP BY 1, 2, 3, 4, 5`,
    [...params, RECURRING_CHANNELS],
  );
  return rows.map((row) => ({ ...row, amount: money(row.amount) }));
}
