// How an account's charge-once keys (conversations) were settled in a cycle, for the keys an
// estimate names: authorize and reservations price a conversation already charged, or already
// counted in an allowance, as ingestion will.
import type { Catalog } from '../domain/catalog/Catalog';
import type { EventData, EventType } from '../domain/event/UsageEvent';
import { money } from '../domain/money';
import type { OnceSettled } from '../domain/rating/rate';
import type { Queryable } from './Database';

/** Settled keys by `${group}|${key}`; nothing is read when the usage names no charge-once key. */
export async function readChargedOnceFor(db: Queryable, { catalog, accountId, period, type, data }: { catalog: Catalog; accountId: string; period: string; type: EventType; data: EventData }): Promise<Map<string, OnceSettled>> {
  const keys = new Map<string, { group: string; key: string }>();
  for (const service of catalog.services) {
    if (service.event !== type || !service.chargeOnce) continue;
    const value = data[service.chargeOnce.key];
    if (value === undefined || value === null) continue;
    keys.set(`${service.chargeOnce.group}|${String(value)}`, { group: service.chargeOnce.group, key: String(value) });
  }
  const settled = new Map<string, OnceSettled>();
  if (keys.size === 0) return settled;
  const rows = await db.query<{ charge_group: string; charge_key: string; covered_by: string | null; covered_units: string }>(
    `SELECT c.charge_group, c.charge_key, c.covered_by, c.covered_units::text AS covered_units FROM charged_once c
     JOIN unnest($3::text[], $4::text[]) AS k(g, k) ON c.charge_group = k.g AND c.charge_key = k.k
     WHERE c.account_id = $1 AND c.period = $2`,
    [accountId, period, [...keys.values()].map((k) => k.group), [...keys.values()].map((k) => k.key)],
  );
  for (const row of rows) settled.set(`${row.charge_group}|${row.charge_key}`, { coveredBy: row.covered_by, units: money(row.covered_units) });
  return settled;
}
