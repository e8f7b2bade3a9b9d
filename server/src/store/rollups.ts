// The usage rollups, hourly and daily, read by every report. A transaction that charges (an
// ingestion, a fee) appends its hourly increments as one row of usage_rollup_increments; folding
// moves them into the rollup tables. Readers see the folded rows plus those still waiting.
import { decimalString } from '../domain/money';
import { type FeeCharge, feeRollupsOf, hourOf, rollupsOf, type UsageRollup } from '../domain/report/UsageRollup';
import type { StoredEvent } from '../domain/ingestion/planIngestion';
import type { Database, Queryable } from './Database';
import type { Writes } from './Writes';

export function addRollupWrites(writes: Writes, events: readonly StoredEvent[], dimensions: readonly string[] | ((accountId: string) => readonly string[])): Writes {
  return addRollupIncrementWrites(writes, rollupsOf(events, hourOf, dimensions));
}

/** Recurring fees (a number's rent) in the same rollups, so that reports and the ledger agree. */
export function addFeeRollupWrites(writes: Writes, fees: readonly FeeCharge[]): Writes {
  return addRollupIncrementWrites(writes, feeRollupsOf(fees));
}

/** Increments of any sign: a void's take the event's charges back out. */
export function addRollupIncrementWrites(writes: Writes, rows: readonly UsageRollup[]): Writes {
  if (rows.length === 0) return writes;
  // Keys are the rollup columns, so that json_to_recordset reads them back by name.
  const increments = JSON.stringify(
    rows.map((x) => ({
      account_id: x.accountId,
      hour: x.at.toISOString(),
      channel: x.channel,
      service: x.service,
      unit: x.unit,
      assistant: x.assistant,
      campaign: x.campaign,
      number: x.number,
      meter: x.meter,
      dimensions: x.dimensions,
      meter_unit: x.meterUnit,
      meter_used: decimalString(x.meterUsed),
      charges: x.charges,
      quantity: decimalString(x.quantity),
      chargeable: decimalString(x.chargeable),
      amount: decimalString(x.amount),
    })),
  );
  const accounts = [...new Set(rows.map((x) => x.accountId))];
  return writes.add((p) => `INSERT INTO usage_rollup_increments (accounts, increments) VALUES (${p(accounts)}::text[], ${p(increments)})`);
}

/**
 * The columns of one increment, as json_to_recordset reads them. `dimensions` is NULL in increments
 * written before migration 040; readers take it as ''.
 */
export const INCREMENT_RECORD =
  'account_id text, hour timestamptz, channel text, service text, unit text, assistant text, campaign text, number text, meter text, dimensions text, meter_unit text, meter_used numeric, charges bigint, quantity numeric, chargeable numeric, amount numeric';

/** An increment's columns with `dimensions` never NULL. */
export const INCREMENT_COLUMNS =
  "x.account_id, x.hour, x.channel, x.service, x.unit, x.assistant, x.campaign, x.number, x.meter, coalesce(x.dimensions, '') AS dimensions, x.meter_unit, x.meter_used, x.charges, x.quantity, x.chargeable, x.amount";

const KEY = 'account_id, channel, service, unit, assistant, campaign, number, meter, dimensions';

function foldInto(table: 'usage_rollups' | 'usage_rollups_daily', bucket: 'hour' | 'day', bucketSql: string): string {
  // Sorted, so that two folds (which the caller's lock should prevent anyway) lock rows in one order.
  // The key's unique index holds the dimensions by their digest (migration 042): a conflict names it so.
  return `INSERT INTO ${table} (${bucket}, ${KEY}, meter_unit, meter_used, charges, quantity, chargeable, amount)
    SELECT ${bucketSql}, ${KEY}, max(meter_unit), sum(meter_used), sum(charges), sum(quantity), sum(chargeable), sum(amount)
    FROM increments GROUP BY 1, ${KEY} ORDER BY ${KEY}, 1
    ON CONFLICT (account_id, ${bucket}, channel, service, unit, assistant, campaign, number, meter, rollup_dimensions_key(dimensions)) DO UPDATE SET
      meter_used = ${table}.meter_used + EXCLUDED.meter_used,
      charges = ${table}.charges + EXCLUDED.charges,
      quantity = ${table}.quantity + EXCLUDED.quantity,
      chargeable = ${table}.chargeable + EXCLUDED.chargeable,
      amount = ${table}.amount + EXCLUDED.amount`;
}

/**
 * Moves every waiting increment into the hourly and daily rollups, in one statement: a reader sees
 * the increments either waiting or folded, never both or neither.
 */
async function foldRollupIncrements(tx: Queryable): Promise<void> {
  await tx.query(
    `WITH moved AS (DELETE FROM usage_rollup_increments RETURNING increments),
     increments AS MATERIALIZED (SELECT ${INCREMENT_COLUMNS} FROM moved, json_to_recordset(moved.increments::json) AS x(${INCREMENT_RECORD})),
     hourly AS (${foldInto('usage_rollups', 'hour', 'hour')}),
     daily AS (${foldInto('usage_rollups_daily', 'day', `date_trunc('day', hour, 'UTC')`)})
     SELECT count(*) FROM moved`,
  );
}

/** An arbitrary constant naming the fold among creditmeter's advisory locks. */
const FOLD_LOCK = 7_316_002;

/** Folds in a transaction of its own, unless another process is folding now (it skips its turn then). */
export async function foldRollupsOnce(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const [lock] = await tx.query<{ taken: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS taken', [FOLD_LOCK]);
    if (lock!.taken) await foldRollupIncrements(tx);
  });
}

/** Increments not folded yet, for the metrics. */
export async function countRollupIncrementsWaiting(db: Queryable): Promise<number> {
  const [row] = await db.query<{ waiting: string }>('SELECT count(*)::text AS waiting FROM usage_rollup_increments');
  return Number(row!.waiting);
}
