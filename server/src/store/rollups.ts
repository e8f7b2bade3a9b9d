// The hourly usage rollups: written with each ingestion, read by every report.
import { decimalString } from '../domain/money';
import { rollupsOf } from '../domain/report/UsageRollup';
import type { StoredEvent } from '../domain/ingestion/planIngestion';
import type { Writes } from './Writes';

export function addRollupWrites(writes: Writes, events: readonly StoredEvent[]): Writes {
  const r = rollupsOf(events);
  if (r.length === 0) return writes;
  const col = <T>(pick: (row: (typeof r)[number]) => T) => r.map(pick);
  return writes.add(
    (p) => `INSERT INTO usage_rollups (account_id, hour, channel, service, unit, assistant, campaign, number, meter, meter_unit, meter_used, charges, quantity, chargeable, amount)
     SELECT * FROM unnest(${p(col((x) => x.accountId))}::text[], ${p(col((x) => x.hour.toISOString()))}::timestamptz[], ${p(col((x) => x.channel))}::text[],
       ${p(col((x) => x.service))}::text[], ${p(col((x) => x.unit))}::text[], ${p(col((x) => x.assistant))}::text[], ${p(col((x) => x.campaign))}::text[],
       ${p(col((x) => x.number))}::text[], ${p(col((x) => x.meter))}::text[], ${p(col((x) => x.meterUnit))}::text[],
       ${p(col((x) => decimalString(x.meterUsed)))}::numeric[], ${p(col((x) => x.charges))}::bigint[], ${p(col((x) => decimalString(x.quantity)))}::numeric[],
       ${p(col((x) => decimalString(x.chargeable)))}::numeric[], ${p(col((x) => decimalString(x.amount)))}::numeric[])
     ON CONFLICT (account_id, hour, channel, service, unit, assistant, campaign, number, meter) DO UPDATE SET
       meter_used = usage_rollups.meter_used + EXCLUDED.meter_used,
       charges = usage_rollups.charges + EXCLUDED.charges,
       quantity = usage_rollups.quantity + EXCLUDED.quantity,
       chargeable = usage_rollups.chargeable + EXCLUDED.chargeable,
       amount = usage_rollups.amount + EXCLUDED.amount`,
  );
}
