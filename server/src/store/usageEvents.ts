// Usage events with their charges: the load and write halves of ingestion, and event look-up.
import type { Catalog } from '../domain/catalog/Catalog';
import type { EventData, UsageEvent } from '../domain/event/UsageEvent';
import { type AccountState, eventKey, type IngestionPlan, periodsFor, type StoredEvent } from '../domain/ingestion/planIngestion';
import { decimalString, money } from '../domain/money';
import type { ChargeJson } from '../domain/rating/Charge';
import { saveBooks } from './books';
import type { Queryable } from './Database';
import { lockAccounts, readOpenGrants } from './rows';

const EVENT_COLUMNS = 'account_id, id, type, occurred_at, recorded_at, data, metadata, cost, charges';

interface EventRow {
  account_id: string;
  id: string;
  type: StoredEvent['type'];
  occurred_at: Date;
  recorded_at: Date;
  data: EventData;
  metadata: Record<string, string> | null;
  cost: string;
  charges: ChargeJson[];
  [column: string]: unknown;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    accountId: row.account_id,
    id: row.id,
    type: row.type,
    timestamp: row.occurred_at,
    data: row.data,
    ...(row.metadata ? { metadata: row.metadata } : {}),
    cost: row.cost,
    charges: row.charges,
    recordedAt: row.recorded_at,
  };
}

export async function readEvent(db: Queryable, accountId: string, id: string): Promise<StoredEvent | undefined> {
  const [row] = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM usage_events WHERE account_id = $1 AND id = $2`, [accountId, id]);
  return row ? toStoredEvent(row) : undefined;
}

/**
 * Locks the batch's accounts and reads what rating needs: earlier events with the same ids, open
 * grants, allowance counters, keys charged once and WhatsApp windows.
 */
export async function loadIngestionState(
  tx: Queryable,
  events: readonly UsageEvent[],
  catalog: Catalog,
): Promise<{ states: Map<string, AccountState>; existing: Map<string, StoredEvent> }> {
  const accounts = await lockAccounts(tx, [...new Set(events.map((e) => e.account))]);
  const ids = [...accounts.keys()];
  const known = events.filter((e) => accounts.has(e.account));

  const existingRows = await tx.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM usage_events JOIN unnest($1::text[], $2::text[]) AS k(a, i) ON account_id = k.a AND id = k.i`,
    [known.map((e) => e.account), known.map((e) => e.id)],
  );
  const grants = await readOpenGrants(tx, ids);

  const allowanceKeys: [string, string][] = [];
  const onceKeys: [string, string, string, string][] = [];
  const onceServices = catalog.services.filter((s) => s.chargeOnce);
  for (const [accountId, account] of accounts) {
    const own = known.filter((e) => e.account === accountId);
    const { allowancePeriods, cyclePeriods } = periodsFor(account, catalog, own.map((e) => new Date(e.timestamp)));
    for (const period of allowancePeriods) allowanceKeys.push([accountId, period]);
    for (const event of own) {
      for (const service of onceServices) {
        const key = (event.data as EventData)[service.chargeOnce!.key];
        if (key === undefined) continue;
        for (const period of cyclePeriods) onceKeys.push([accountId, service.chargeOnce!.group, String(key), period]);
      }
    }
  }
  const allowanceRows = await tx.query<{ account_id: string; meter: string; period: string; used: string }>(
    `SELECT u.account_id, u.meter, u.period, u.used FROM allowance_usage u
     JOIN unnest($1::text[], $2::text[]) AS k(a, p) ON u.account_id = k.a AND u.period = k.p`,
    [allowanceKeys.map((k) => k[0]), allowanceKeys.map((k) => k[1])],
  );
  const onceRows =
    onceKeys.length === 0
      ? []
      : await tx.query<{ account_id: string; charge_group: string; charge_key: string; period: string }>(
          `SELECT c.account_id, c.charge_group, c.charge_key, c.period FROM charged_once c
           JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(a, g, k, p)
             ON c.account_id = k.a AND c.charge_group = k.g AND c.charge_key = k.k AND c.period = k.p`,
          [onceKeys.map((k) => k[0]), onceKeys.map((k) => k[1]), onceKeys.map((k) => k[2]), onceKeys.map((k) => k[3])],
        );
  const contacts = known.flatMap((e) => (e.type === 'whatsapp' ? [[e.account, e.data.contact] as const] : []));
  const windowRows =
    contacts.length === 0
      ? []
      : await tx.query<{ account_id: string; contact: string; last_inbound_at: Date }>(
          `SELECT w.account_id, w.contact, w.last_inbound_at FROM whatsapp_windows w
           JOIN unnest($1::text[], $2::text[]) AS k(a, c) ON w.account_id = k.a AND w.contact = k.c`,
          [contacts.map((c) => c[0]), contacts.map((c) => c[1])],
        );

  const states = new Map<string, AccountState>();
  for (const [accountId, account] of accounts) {
    states.set(accountId, {
      account,
      grants: grants.get(accountId) ?? [],
      allowanceUsed: new Map(),
      chargedOnce: new Set(),
      whatsappLastInbound: new Map(),
    });
  }
  for (const row of allowanceRows) states.get(row.account_id)!.allowanceUsed.set(`${row.meter}|${row.period}`, money(row.used));
  for (const row of onceRows) states.get(row.account_id)!.chargedOnce.add(`${row.charge_group}|${row.charge_key}|${row.period}`);
  for (const row of windowRows) states.get(row.account_id)!.whatsappLastInbound.set(row.contact, row.last_inbound_at);
  return { states, existing: new Map(existingRows.map((row) => [eventKey(row.account_id, row.id), toStoredEvent(row)])) };
}

export async function writeIngestion(tx: Queryable, plan: IngestionPlan, now: Date): Promise<void> {
  const events = plan.events;
  if (events.length > 0) {
    await tx.query(
      `INSERT INTO usage_events (account_id, id, type, occurred_at, recorded_at, data, metadata, cost, charges)
       SELECT a, i, t, o, $5::timestamptz, d::jsonb, m::jsonb, c, ch::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $6::text[], $7::text[], $8::numeric[], $9::text[]) AS u(a, i, t, o, d, m, c, ch)`,
      [
        events.map((e) => e.accountId),
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => e.timestamp.toISOString()),
        now.toISOString(),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => (e.metadata ? JSON.stringify(e.metadata) : null)),
        events.map((e) => e.cost),
        events.map((e) => JSON.stringify(e.charges)),
      ],
    );
  }
  await saveBooks(tx, plan.books, now);
  if (plan.allowanceUsage.length > 0) {
    const u = plan.allowanceUsage;
    await tx.query(
      `INSERT INTO allowance_usage (account_id, meter, period, used)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[])
       ON CONFLICT (account_id, meter, period) DO UPDATE SET used = EXCLUDED.used`,
      [u.map((x) => x.accountId), u.map((x) => x.meter), u.map((x) => x.period), u.map((x) => decimalString(x.used))],
    );
  }
  if (plan.chargedOnce.length > 0) {
    const c = plan.chargedOnce;
    await tx.query(
      `INSERT INTO charged_once (account_id, charge_group, charge_key, period)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [c.map((x) => x.accountId), c.map((x) => x.group), c.map((x) => x.key), c.map((x) => x.period)],
    );
  }
  if (plan.whatsappWindows.length > 0) {
    const w = plan.whatsappWindows;
    await tx.query(
      `INSERT INTO whatsapp_windows (account_id, contact, last_inbound_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
       ON CONFLICT (account_id, contact) DO UPDATE SET last_inbound_at = EXCLUDED.last_inbound_at`,
      [w.map((x) => x.accountId), w.map((x) => x.contact), w.map((x) => x.lastInboundAt.toISOString())],
    );
  }
}
