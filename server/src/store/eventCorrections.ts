// What voiding and amending an event read and write: the event with what it drew, the grants it
// drew on (spent or not), how its charge-once keys stand and whether another event holds them, the
// invoice that settled it; the void's mark, an amendment's earlier version, and the counters a void
// takes back (allowance units, charge-once keys, rollups, cycle spend).
import type { OnceRestored, VoidPlan } from '../domain/correction/voidEvent';
import type { OnceSettledJson, StoredEvent } from '../domain/ingestion/planIngestion';
import type { Grant } from '../domain/ledger/drawGrants';
import { decimalString } from '../domain/money';
import { addSpendWrites } from './alerts';
import type { Queryable } from './Database';
import type { ChargeJson } from '../domain/rating/Charge';
import { LEDGER_COLUMNS, type LedgerRow } from './books';
import { addRollupIncrementWrites } from './rollups';
import { GRANT_COLUMNS, type GrantRow, toGrant } from './rows';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from './usageEvents';
import type { Writes } from './Writes';

/** The event as stored now (its current version), with what it drew. */
export async function readEventToCorrect(tx: Queryable, accountId: string, id: string): Promise<StoredEvent | undefined> {
  const [row] = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM usage_events WHERE account_id = $1 AND id = $2`, [accountId, id]);
  return row ? toStoredEvent(row) : undefined;
}

/** The event's earlier versions, oldest first: each voided by the amendment that followed it. */
export async function readEventVersions(db: Queryable, accountId: string, id: string): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM usage_event_versions WHERE account_id = $1 AND id = $2 ORDER BY version`, [
    accountId,
    id,
  ]);
  return rows.map(toStoredEvent);
}

/** The account's open grants and the grants named, spent or not: a void gives back to them. */
export async function readGrantsToGiveBack(tx: Queryable, accountId: string, named: readonly string[], drawnOn = false): Promise<Grant[]> {
  // A void that settles a tiered cycle may give back to any grant drawn on (see repriceDown).
  const rows = await tx.query<GrantRow>(
    `SELECT ${GRANT_COLUMNS} FROM grants WHERE account_id = $1 AND (remaining > 0 OR id = ANY($2::text[])${drawnOn ? ' OR remaining < amount' : ''})`,
    [accountId, named],
  );
  return rows.map(toGrant);
}

/** A tiered service's count in a cycle: its quantity and what it was charged, if the cycle counted it. */
export async function readTierCounts(
  tx: Queryable,
  accountId: string,
  keys: readonly { service: string; period: string }[],
): Promise<Map<string, { quantity: string; charged: string }>> {
  const found = new Map<string, { quantity: string; charged: string }>();
  if (keys.length === 0) return found;
  const rows = await tx.query<{ service: string; period: string; quantity: string; charged: string }>(
    `SELECT t.service, t.period, t.quantity::text AS quantity, t.charged::text AS charged FROM tier_usage t
     JOIN unnest($2::text[], $3::text[]) AS k(s, p) ON t.service = k.s AND t.period = k.p WHERE t.account_id = $1`,
    [accountId, keys.map((k) => k.service), keys.map((k) => k.period)],
  );
  for (const row of rows) found.set(`${row.service}|${row.period}`, { quantity: row.quantity, charged: row.charged });
  return found;
}

/** How these charge-once keys stand, by `${group}|${key}|${period}`. */
export async function readOnceKeys(
  tx: Queryable,
  accountId: string,
  keys: readonly { group: string; key: string; period: string }[],
): Promise<Map<string, OnceSettledJson>> {
  const found = new Map<string, OnceSettledJson>();
  if (keys.length === 0) return found;
  const rows = await tx.query<{ charge_group: string; charge_key: string; period: string; covered_by: string | null; covered_units: string }>(
    `SELECT c.charge_group, c.charge_key, c.period, c.covered_by, c.covered_units::text AS covered_units FROM charged_once c
     JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(g, k, p) ON c.charge_group = k.g AND c.charge_key = k.k AND c.period = k.p
     WHERE c.account_id = $1`,
    [accountId, keys.map((k) => k.group), keys.map((k) => k.key), keys.map((k) => k.period)],
  );
  for (const row of rows) found.set(`${row.charge_group}|${row.charge_key}|${row.period}`, { coveredBy: row.covered_by, units: row.covered_units });
  return found;
}

/**
 * Whether another event of the account, not voided and billed within the span, carries `value` in
 * one of the fields (by event type) that key the charge-once group.
 */
export async function anotherEventHolds(
  tx: Queryable,
  query: { accountId: string; eventId: string; fields: readonly { type: string; field: string }[]; value: string; from: Date; to: Date },
): Promise<boolean> {
  if (query.fields.length === 0) return false;
  const [row] = await tx.query<{ held: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM usage_events e JOIN unnest($3::text[], $4::text[]) AS f(t, f) ON e.type = f.t AND e.data->>f.f = $5
       WHERE e.account_id = $1 AND e.id <> $2 AND e.voided_at IS NULL
         AND coalesce(e.billed_at, e.occurred_at) >= $6 AND coalesce(e.billed_at, e.occurred_at) < $7) AS held`,
    [
      query.accountId,
      query.eventId,
      query.fields.map((f) => f.type),
      query.fields.map((f) => f.field),
      query.value,
      query.from.toISOString(),
      query.to.toISOString(),
    ],
  );
  return row?.held === true;
}

/**
 * The cycle invoice whose period holds `at` and that settled part of the account's balance: found
 * by its period, not by the cycle as the account's terms draw it now (an interval changed since).
 */
export async function readSettlingInvoice(tx: Queryable, accountId: string, at: Date): Promise<{ invoiceId: string; number: string } | undefined> {
  const [row] = await tx.query<{ id: string; number: string | null }>(
    `SELECT i.id, i.number FROM invoices i
     WHERE i.account_id = $1 AND i.kind = 'cycle' AND i.period_start <= $2 AND $2 < i.period_end
       AND EXISTS (SELECT 1 FROM ledger_entries l WHERE l.account_id = $1 AND l.kind = 'settlement' AND l.reference = i.id)`,
    [accountId, at.toISOString()],
  );
  // A draft (held for the buyer's address) is named by its id until it has its number.
  return row ? { invoiceId: row.id, number: row.number ?? `draft ${row.id}` } : undefined;
}

/** The charges of the events (any version) whose voids went back through the invoice, for rounding the next void's credit. */
export async function readChargesVoidedOnInvoice(tx: Queryable, accountId: string, invoiceId: string): Promise<ChargeJson[][]> {
  const rows = await tx.query<{ charges: ChargeJson[] }>(
    `SELECT charges FROM usage_events WHERE account_id = $1 AND void_invoice = $2
     UNION ALL
     SELECT charges FROM usage_event_versions WHERE account_id = $1 AND void_invoice = $2`,
    [accountId, invoiceId],
  );
  return rows.map((r) => r.charges);
}

/** The ledger entries that voided the event at `at` (its give-back, and its credit note's), in the order written. */
export async function readVoidEntries(db: Queryable, accountId: string, eventId: string, at: Date): Promise<LedgerRow[]> {
  return db.query<LedgerRow>(
    `SELECT ${LEDGER_COLUMNS} FROM ledger_entries
     WHERE account_id = $1 AND event_id = $2 AND (kind IN ('void', 'unsettlement') OR (kind = 'usage' AND reference IS NOT NULL)) AND recorded_at = $3 ORDER BY seq`,
    [accountId, eventId, at.toISOString()],
  );
}

/** Marks the event voided: its data stays, it no longer counts. */
export function addVoidMarkWrites(
  writes: Writes,
  mark: { accountId: string; eventId: string; reason: string; keyId: string | null; invoice: string | null; creditNote: string | null; at: Date },
): Writes {
  return writes.add(
    (p) => `UPDATE usage_events SET voided_at = ${p(mark.at.toISOString())}::timestamptz, void_reason = ${p(mark.reason)}, voided_by = ${p(mark.keyId)},
       void_invoice = ${p(mark.invoice)}, void_credit_note = ${p(mark.creditNote)}
     WHERE account_id = ${p(mark.accountId)} AND id = ${p(mark.eventId)}`,
  );
}

/**
 * Moves the event's current version to usage_event_versions, voided, and out of usage_events, where
 * the amended version takes its place under the same id.
 */
export function addVersionMoveWrites(
  writes: Writes,
  move: { accountId: string; eventId: string; reason: string; keyId: string | null; invoice: string | null; creditNote: string | null; at: Date },
): Writes {
  const columns = 'account_id, id, version, type, occurred_at, billed_at, recorded_at, data, metadata, reservation_id, cost, charges, paid_from, draws';
  return writes
    .add(
      (p) => `INSERT INTO usage_event_versions (${columns}, voided_at, void_reason, voided_by, void_invoice, void_credit_note)
       SELECT ${columns}, ${p(move.at.toISOString())}::timestamptz, ${p(move.reason)}, ${p(move.keyId)}, ${p(move.invoice)}, ${p(move.creditNote)} FROM usage_events
       WHERE account_id = ${p(move.accountId)} AND id = ${p(move.eventId)}`,
    )
    .add((p) => `DELETE FROM usage_events WHERE account_id = ${p(move.accountId)} AND id = ${p(move.eventId)}`);
}

/** What a void takes back beside the ledger: allowance units, charge-once keys, rollups, cycle spend. */
export function addGivenBackWrites(writes: Writes, { accountId, plan }: { accountId: string; plan: VoidPlan }): Writes {
  const a = plan.allowance;
  if (a.length > 0) {
    writes.add(
      (p) => `UPDATE allowance_usage u SET used = greatest(u.used - k.units, 0)
       FROM unnest(${p(a.map((x) => x.meter))}::text[], ${p(a.map((x) => x.period))}::text[], ${p(a.map((x) => decimalString(x.units)))}::numeric[]) AS k(meter, period, units)
       WHERE u.account_id = ${p(accountId)} AND u.meter = k.meter AND u.period = k.period`,
    );
  }
  const t = plan.tiers;
  if (t.length > 0) {
    // Decided under the account's lock from the counts read in it: the counts as they stand after.
    writes.add(
      (p) => `UPDATE tier_usage u SET quantity = k.quantity, charged = k.charged
       FROM unnest(${p(t.map((x) => x.service))}::text[], ${p(t.map((x) => x.period))}::text[], ${p(t.map((x) => decimalString(x.quantity)))}::numeric[],
         ${p(t.map((x) => decimalString(x.charged)))}::numeric[]) AS k(service, period, quantity, charged)
       WHERE u.account_id = ${p(accountId)} AND u.service = k.service AND u.period = k.period`,
    );
  }
  addOnceWrites(writes, accountId, plan.once);
  addRollupIncrementWrites(writes, plan.rollups);
  return addSpendWrites(writes, [{ accountId, period: plan.spend.period, amount: plan.spend.amount }]);
}

function addOnceWrites(writes: Writes, accountId: string, once: readonly OnceRestored[]): void {
  const restored = once.filter((o) => o.restored !== null);
  const released = once.filter((o) => o.restored === null);
  if (restored.length > 0) {
    writes.add(
      (p) => `UPDATE charged_once c SET covered_by = k.covered_by, covered_units = k.units
       FROM unnest(${p(restored.map((o) => o.group))}::text[], ${p(restored.map((o) => o.key))}::text[], ${p(restored.map((o) => o.period))}::text[],
         ${p(restored.map((o) => o.restored!.coveredBy))}::text[], ${p(restored.map((o) => o.restored!.units))}::numeric[]) AS k(g, k, p, covered_by, units)
       WHERE c.account_id = ${p(accountId)} AND c.charge_group = k.g AND c.charge_key = k.k AND c.period = k.p`,
    );
  }
  if (released.length > 0) {
    writes.add(
      (
        p,
      ) => `DELETE FROM charged_once c USING unnest(${p(released.map((o) => o.group))}::text[], ${p(released.map((o) => o.key))}::text[], ${p(released.map((o) => o.period))}::text[]) AS k(g, k, p)
       WHERE c.account_id = ${p(accountId)} AND c.charge_group = k.g AND c.charge_key = k.k AND c.period = k.p`,
    );
  }
}
