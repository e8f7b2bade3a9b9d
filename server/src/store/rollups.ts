// The usage rollups, hourly and daily: written with each ingestion and each fee, read by every report.
import { decimalString } from '../domain/money';
import { dayOf } from '../domain/report/rollupSpans';
import { type FeeCharge, feeRollupsOf, rollupsOf, type UsageRollup } from '../domain/report/UsageRollup';
import type { StoredEvent } from '../domain/ingestion/planIngestion';
import type { Writes } from './Writes';

export function addRollupWrites(writes: Writes, events: readonly StoredEvent[]): Writes {
  upsert(writes, 'usage_rollups', 'hour', rollupsOf(events));
  upsert(writes, 'usage_rollups_daily', 'day', rollupsOf(events, dayOf));
  return writes;
}

/** Recurring fees (a number's rent) in the same rollups, so that reports and the ledger agree. */
export function addFeeRollupWrites(writes: Writes, fees: readonly FeeCharge[]): Writes {
  upsert(writes, 'usage_rollups', 'hour', feeRollupsOf(fees));
  upsert(writes, 'usage_rollups_daily', 'day', feeRollupsOf(fees, dayOf));
  return writes;
}

function upsert(writes: Writes, table: 'usage_rollups' | 'usage_rollups_daily', bucket: 'hour' | 'day', r: UsageRollup[]): void {
  if (r.length === 0) return;
  const col = <T>(pick: (row: UsageRollup) => T) => r.map(pick);
  writes.add(
    (p) => `INSERT INTO ${table} (account_id, ${bucket}, channel, service, unit, assistant, campaign, number, meter, meter_unit, meter_used, charges, quantity, chargeable, amount)
     SELECT * FROM unnest(${p(col((x) => x.accountId))}::text[], ${p(col((x) => x.at.toISOString()))}::timestamptz[], ${p(col((x) => x.channel))}::text[],
       ${p(col((x) => x.service))}::text[], ${p(col((x) => x.unit))}::text[], ${p(col((x) => x.assistant))}::text[], ${p(col((x) => x.campaign))}::text[],
       ${p(col((x) => x.number))}::text[], ${p(col((x) => x.meter))}::text[], ${p(col((x) => x.meterUnit))}::text[],
       ${p(col((x) => decimalString(x.meterUsed)))}::numeric[], ${p(col((x) => x.charges))}::bigint[], ${p(col((x) => decimalString(x.quantity)))}::numeric[],
       ${p(col((x) => decimalString(x.chargeable)))}::numeric[], ${p(col((x) => decimalString(x.amount)))}::numeric[])
     ON CONFLICT (account_id, ${bucket}, channel, service, unit, assistant, campaign, number, meter) DO UPDATE SET
       meter_used = ${table}.meter_used + EXCLUDED.meter_used,
       charges = ${table}.charges + EXCLUDED.charges,
       quantity = ${table}.quantity + EXCLUDED.quantity,
       chargeable = ${table}.chargeable + EXCLUDED.chargeable,
       amount = ${table}.amount + EXCLUDED.amount`,
  );
}
