// Report queries: sums of the hourly usage rollups over whole hours, for one account or all.
import type { GroupBy, MeterSum, RollupSum } from '../domain/report/CostReport';
import type { DayCost } from '../domain/report/spikes';
import { money } from '../domain/money';
import type { Queryable } from './Database';

// Whitelisted expressions: a group-by name never reaches SQL as text from the request.
const DIMENSION_SQL: Record<GroupBy, string> = {
  channel: 'channel',
  service: 'service',
  assistant: 'assistant',
  campaign: 'campaign',
  number: 'number',
  day: `to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  month: `to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM')`,
};

interface Scope {
  account: string | null;
  from: Date;
  to: Date;
}

function where(scope: Scope): { sql: string; params: unknown[] } {
  const params: unknown[] = [scope.from.toISOString(), scope.to.toISOString()];
  if (scope.account === null) return { sql: 'hour >= $1 AND hour < $2', params };
  params.push(scope.account);
  return { sql: 'account_id = $3 AND hour >= $1 AND hour < $2', params };
}

export async function sumRollups(db: Queryable, scope: Scope, groupBy: readonly GroupBy[]): Promise<RollupSum[]> {
  const { sql, params } = where(scope);
  const dims = groupBy.map((g, i) => `${DIMENSION_SQL[g]} AS d${i}`);
  const rows = await db.query<Record<string, unknown> & { unit: string; charges: string; quantity: string; chargeable: string; amount: string }>(
    `SELECT ${[...dims, 'unit'].join(', ')}, sum(charges)::text AS charges, sum(quantity)::text AS quantity,
       sum(chargeable)::text AS chargeable, sum(amount)::text AS amount
     FROM usage_rollups WHERE ${sql}
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
  const { sql, params } = where(scope);
  const rows = await db.query<{ meter: string; meter_unit: string; used: string }>(
    `SELECT meter, meter_unit, sum(meter_used)::text AS used FROM usage_rollups WHERE ${sql} AND meter <> '' GROUP BY meter, meter_unit`,
    params,
  );
  return rows.map((row) => ({ meter: row.meter, unit: row.meter_unit, used: money(row.used) }));
}

export async function sumAmount(db: Queryable, scope: Scope): Promise<string> {
  const { sql, params } = where(scope);
  const [row] = await db.query<{ amount: string | null }>(`SELECT sum(amount)::text AS amount FROM usage_rollups WHERE ${sql}`, params);
  return row?.amount ?? '0';
}

export async function dailyCosts(db: Queryable, scope: Scope): Promise<DayCost[]> {
  const { sql, params } = where(scope);
  const rows = await db.query<{ day: string; channel: string; campaign: string; number: string; assistant: string; amount: string }>(
    `SELECT ${DIMENSION_SQL.day} AS day, channel, campaign, number, assistant, sum(amount)::text AS amount
     FROM usage_rollups WHERE ${sql} GROUP BY 1, 2, 3, 4, 5`,
    params,
  );
  return rows.map((row) => ({ ...row, amount: money(row.amount) }));
}
