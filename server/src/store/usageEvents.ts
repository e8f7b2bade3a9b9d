// Usage events with their charges: the load and write halves of ingestion, and event look-up.
import type { Catalog } from '../domain/catalog/Catalog';
import { mayUseTiers } from '../domain/rating/priceInEffect';
import type { EventData, UsageEvent } from '../domain/event/UsageEvent';
import {
  type AccountState,
  catalogLookup,
  type EventDraws,
  eventKey,
  type IngestionPlan,
  type PaidFrom,
  periodsFor,
  type StoredEvent,
} from '../domain/ingestion/planIngestion';
import { decimalString, money, type Money } from '../domain/money';
import type { ChargeJson } from '../domain/rating/Charge';
import { addBookWrites, type EntryMaker } from './books';
import type { Queryable } from './Database';
import { GRANT_JSON_COLUMNS, grantRowFromJson, toGrant } from './rows';
import { jsonDate, jsonDateOrNull, type ReadPart, type ReadResults, readTogether } from './Reads';
import type { Account } from '../domain/account/Account';
import { addSpendWrites } from './alerts';
import type { Writes } from './Writes';
import type { Reservation } from '../domain/reservation/Reservation';
import { addSettlementWrites, readNamedReservations } from './reservations';
import { addRollupWrites } from './rollups';
import { activeReservationsRead } from './accountStanding';
import { recordPeriods } from '../domain/account/AccountRecord';

export const EVENT_COLUMNS =
  'account_id, id, type, occurred_at, billed_at, recorded_at, data, metadata, reservation_id, cost, charges, paid_from, draws, version, voided_at, void_reason, voided_by, void_credit_note';

export interface EventRow {
  account_id: string;
  id: string;
  type: StoredEvent['type'];
  occurred_at: Date;
  billed_at: Date | null;
  recorded_at: Date;
  data: EventData;
  metadata: Record<string, string> | null;
  reservation_id: string | null;
  cost: string;
  charges: ChargeJson[];
  paid_from: PaidFrom[] | null;
  draws: EventDraws | null;
  version: number;
  voided_at: Date | null;
  void_reason: string | null;
  voided_by: string | null;
  void_credit_note?: string | null;
  [column: string]: unknown;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    accountId: row.account_id,
    id: row.id,
    type: row.type,
    timestamp: row.occurred_at,
    ...(row.billed_at !== null ? { billedAt: row.billed_at } : {}),
    data: row.data,
    ...(row.metadata ? { metadata: row.metadata } : {}),
    ...(row.reservation_id !== null ? { reservation: row.reservation_id } : {}),
    cost: row.cost,
    charges: row.charges,
    ...(row.paid_from ? { paidFrom: row.paid_from } : {}),
    ...(row.draws ? { draws: row.draws } : {}),
    version: row.version,
    ...(row.voided_at !== null
      ? {
          voided: {
            at: row.voided_at,
            reason: row.void_reason ?? '',
            keyId: row.voided_by,
            ...(row.void_credit_note ? { creditNote: row.void_credit_note } : {}),
          },
        }
      : {}),
    recordedAt: row.recorded_at,
  };
}

export async function readEvent(db: Queryable, accountId: string, id: string): Promise<StoredEvent | undefined> {
  const [row] = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM usage_events WHERE account_id = $1 AND id = $2`, [accountId, id]);
  return row ? toStoredEvent(row) : undefined;
}

/**
 * Reads what rating the events of these locked accounts needs: earlier events with the same ids,
 * open grants, allowance counters, keys charged once and WhatsApp windows, and with them the
 * caller's `also` reads (see Reads): one statement. For the accounts of `standing`, it reads too
 * what their record at `now` holds beyond that (see AccountRecord): the current periods' counters
 * and their active reservations.
 */
export async function loadIngestionState<E extends Record<string, ReadPart<unknown>>>(
  tx: Queryable,
  input: {
    accounts: ReadonlyMap<string, Account>;
    events: readonly UsageEvent[];
    catalog: Catalog | ReadonlyMap<string, Catalog>;
    also: E;
    standing?: { accounts: readonly string[]; now: Date };
  },
): Promise<{
  states: Map<string, AccountState>;
  existing: Map<string, StoredEvent>;
  reservations: Map<string, Reservation>;
  /** The active reservations of the accounts of `standing`, by account. */
  active: Map<string, Reservation[]>;
  also: ReadResults<E>;
}> {
  const { accounts, events } = input;
  const catalogOf = catalogLookup(input.catalog);
  const chargedOnceServices = new Map<Catalog, Catalog['services']>();
  const ids = [...accounts.keys()];
  const known = events.filter((e) => accounts.has(e.account));

  const allowanceKeys: [string, string][] = [];
  // Tier counts are read only for accounts whose prices have tiers somewhere: most never do.
  const tierKeys: [string, string][] = [];
  const onceKeys: [string, string, string, string][] = [];
  const byAccount = Map.groupBy(known, (event) => event.account);
  for (const [accountId, account] of accounts) {
    const own = byAccount.get(accountId) ?? [];
    const catalog = catalogOf(accountId);
    let onceServices = chargedOnceServices.get(catalog);
    if (!onceServices) chargedOnceServices.set(catalog, (onceServices = catalog.services.filter((s) => s.chargeOnce)));
    const { allowancePeriods, cyclePeriods } = periodsFor(
      account,
      catalog,
      own.map((e) => new Date(e.timestamp)),
    );
    for (const period of allowancePeriods) allowanceKeys.push([accountId, period]);
    if (own.length > 0 && mayUseTiers(catalog, account)) for (const period of cyclePeriods) tierKeys.push([accountId, period]);
    for (const event of own) {
      for (const service of onceServices) {
        const key = (event.data as EventData)[service.chargeOnce!.key];
        if (key === undefined) continue;
        for (const period of cyclePeriods) onceKeys.push([accountId, service.chargeOnce!.group, String(key), period]);
      }
    }
  }
  const standing = (input.standing?.accounts ?? []).filter((id) => accounts.has(id));
  for (const accountId of standing) {
    const account = accounts.get(accountId)!;
    const catalog = catalogOf(accountId);
    const terms = recordPeriods(account, catalog, input.standing!.now);
    if (!terms) continue;
    for (const [, period] of terms.allowances) allowanceKeys.push([accountId, period]);
    if (mayUseTiers(catalog, account)) tierKeys.push([accountId, terms.cycleKey]);
  }
  const contacts = known.flatMap((e) => (e.type === 'whatsapp' ? [[e.account, e.data.contact] as const] : []));
  const named = known.flatMap((e) => (e.reservation === undefined ? [] : [[e.account, e.reservation] as const]));
  const own = {
    existing: {
      sql: (p) => `SELECT account_id, id, type, occurred_at, billed_at, recorded_at, data, metadata, reservation_id, cost::text AS cost, charges, paid_from,
          NULL AS draws, version, voided_at, void_reason, voided_by
        FROM usage_events JOIN unnest(${p(known.map((e) => e.account))}::text[], ${p(known.map((e) => e.id))}::text[]) AS k(a, i) ON account_id = k.a AND id = k.i`,
      map: (rows) =>
        rows.map((row) =>
          toStoredEvent({
            ...row,
            occurred_at: jsonDate(row['occurred_at']),
            billed_at: jsonDateOrNull(row['billed_at']),
            recorded_at: jsonDate(row['recorded_at']),
            voided_at: jsonDateOrNull(row['voided_at']),
          } as EventRow),
        ),
    },
    grants: {
      sql: (p) => `SELECT ${GRANT_JSON_COLUMNS}
        FROM grants WHERE account_id = ANY(${p(ids)}::text[]) AND (remaining > 0${
          // A cheaper volume tier gives credits back to the grants drawn on, those drawn empty too.
          tierKeys.length > 0 ? ` OR (account_id = ANY(${p([...new Set(tierKeys.map((k) => k[0]))])}::text[]) AND remaining < amount)` : ''
        })`,
      map: (rows) => rows.map(grantRowFromJson),
    },
    allowances: {
      sql: (p) => `SELECT u.account_id, u.meter, u.period, u.used::text AS used FROM allowance_usage u
        JOIN unnest(${p(allowanceKeys.map((k) => k[0]))}::text[], ${p(allowanceKeys.map((k) => k[1]))}::text[]) AS k(a, p) ON u.account_id = k.a AND u.period = k.p`,
      map: (rows) => rows as { account_id: string; meter: string; period: string; used: string }[],
    },
    once: {
      sql: (p) => `SELECT c.account_id, c.charge_group, c.charge_key, c.period, c.covered_by, c.covered_units::text AS covered_units FROM charged_once c
        JOIN unnest(${p(onceKeys.map((k) => k[0]))}::text[], ${p(onceKeys.map((k) => k[1]))}::text[], ${p(onceKeys.map((k) => k[2]))}::text[], ${p(onceKeys.map((k) => k[3]))}::text[]) AS k(a, g, k, p)
          ON c.account_id = k.a AND c.charge_group = k.g AND c.charge_key = k.k AND c.period = k.p`,
      map: (rows) =>
        rows as { account_id: string; charge_group: string; charge_key: string; period: string; covered_by: string | null; covered_units: string }[],
    },
    windows: {
      sql: (p) => `SELECT w.account_id, w.contact, w.last_inbound_at FROM whatsapp_windows w
        JOIN unnest(${p(contacts.map((c) => c[0]))}::text[], ${p(contacts.map((c) => c[1]))}::text[]) AS k(a, c) ON w.account_id = k.a AND w.contact = k.c`,
      map: (rows) =>
        rows.map((row) => ({ account_id: row['account_id'] as string, contact: row['contact'] as string, last_inbound_at: jsonDate(row['last_inbound_at']) })),
    },
  } satisfies Record<string, ReadPart<unknown>>;
  const tiers = {
    sql: (p) => `SELECT t.account_id, t.service, t.period, t.quantity::text AS quantity, t.charged::text AS charged FROM tier_usage t
      JOIN unnest(${p(tierKeys.map((k) => k[0]))}::text[], ${p(tierKeys.map((k) => k[1]))}::text[]) AS k(a, p) ON t.account_id = k.a AND t.period = k.p`,
    map: (rows) => rows as { account_id: string; service: string; period: string; quantity: string; charged: string }[],
  } satisfies ReadPart<unknown>;
  const active = activeReservationsRead(standing, input.standing?.now ?? new Date(0));
  // The tier counts and the reservations join the statement only when they are asked for.
  const both = await readTogether(tx, {
    ...input.also,
    ...own,
    ...(tierKeys.length > 0 ? { tiers } : {}),
    ...(standing.length > 0 ? { active } : {}),
  });
  const read = both as unknown as ReadResults<typeof own> & Partial<ReadResults<{ tiers: typeof tiers; active: typeof active }>>;

  const states = new Map<string, AccountState>();
  for (const [accountId, account] of accounts) {
    states.set(accountId, { account, grants: [], allowanceUsed: new Map(), chargedOnce: new Map(), whatsappLastInbound: new Map() });
  }
  for (const row of read.grants) states.get(row.account_id)!.grants.push(toGrant(row));
  for (const row of read.allowances) states.get(row.account_id)!.allowanceUsed.set(`${row.meter}|${row.period}`, money(row.used));
  for (const row of read.tiers ?? []) {
    const state = states.get(row.account_id)!;
    (state.tierUsed ??= new Map()).set(`${row.service}|${row.period}`, { quantity: money(row.quantity), charged: money(row.charged) });
  }
  for (const row of read.once) {
    states
      .get(row.account_id)!
      .chargedOnce.set(`${row.charge_group}|${row.charge_key}|${row.period}`, { coveredBy: row.covered_by, units: money(row.covered_units) });
  }
  for (const row of read.windows) states.get(row.account_id)!.whatsappLastInbound.set(row.contact, row.last_inbound_at);
  // Reservations are named rarely: read on their own, and only then.
  const reservations = await readNamedReservations(tx, named);
  return {
    states,
    existing: new Map(read.existing.map((event) => [eventKey(event.accountId, event.id), event])),
    reservations,
    active: read.active ?? new Map(),
    also: both as unknown as ReadResults<E>,
  };
}

/** Adds everything the plan writes to `writes`; the caller runs it. */
export function addIngestionWrites(
  writes: Writes,
  {
    plan,
    now,
    makerOf,
    dimensions,
    origin,
  }: {
    plan: IngestionPlan;
    now: Date;
    makerOf?: EntryMaker;
    /** The writer, named in the NOTIFY (see ACCOUNT_CHANGES). */
    origin?: string;
    /** The declared report dimensions of an account's catalog, kept in the rollups. */
    dimensions: readonly string[] | ((accountId: string) => readonly string[]);
  },
): Writes {
  const e = plan.events;
  if (e.length > 0) {
    writes.add(
      (
        p,
      ) => `INSERT INTO usage_events (account_id, id, type, occurred_at, billed_at, recorded_at, data, metadata, reservation_id, cost, charges, paid_from, draws, version)
       SELECT a, i, t, o, b, ${p(now.toISOString())}::timestamptz, d::jsonb, m::jsonb, r, c, ch::jsonb, pf::jsonb, dr::jsonb, v
       FROM unnest(${p(e.map((x) => x.accountId))}::text[], ${p(e.map((x) => x.id))}::text[], ${p(e.map((x) => x.type))}::text[],
         ${p(e.map((x) => x.timestamp.toISOString()))}::timestamptz[], ${p(e.map((x) => x.billedAt?.toISOString() ?? null))}::timestamptz[],
         ${p(e.map((x) => JSON.stringify(x.data)))}::text[],
         ${p(e.map((x) => (x.metadata ? JSON.stringify(x.metadata) : null)))}::text[], ${p(e.map((x) => x.reservation ?? null))}::text[],
         ${p(e.map((x) => x.cost))}::numeric[], ${p(e.map((x) => JSON.stringify(x.charges)))}::text[],
         ${p(e.map((x) => (x.paidFrom ? JSON.stringify(x.paidFrom) : null)))}::text[],
         ${p(e.map((x) => (x.draws ? JSON.stringify(x.draws) : null)))}::text[], ${p(e.map((x) => x.version ?? 1))}::int[]) AS u(a, i, t, o, b, d, m, r, c, ch, pf, dr, v)`,
    );
  }
  addBookWrites(writes, { changes: plan.books, recordedAt: now, makerOf, origin });
  const u = plan.allowanceUsage;
  if (u.length > 0) {
    writes.add(
      (p) => `INSERT INTO allowance_usage (account_id, meter, period, used)
       SELECT * FROM unnest(${p(u.map((x) => x.accountId))}::text[], ${p(u.map((x) => x.meter))}::text[], ${p(u.map((x) => x.period))}::text[],
         ${p(u.map((x) => decimalString(x.used)))}::numeric[])
       ON CONFLICT (account_id, meter, period) DO UPDATE SET used = EXCLUDED.used`,
    );
  }
  const t = plan.tierUsage;
  if (t.length > 0) {
    writes.add(
      (p) => `INSERT INTO tier_usage (account_id, service, period, quantity, charged)
       SELECT * FROM unnest(${p(t.map((x) => x.accountId))}::text[], ${p(t.map((x) => x.service))}::text[], ${p(t.map((x) => x.period))}::text[],
         ${p(t.map((x) => decimalString(x.quantity)))}::numeric[], ${p(t.map((x) => decimalString(x.charged)))}::numeric[])
       ON CONFLICT (account_id, service, period) DO UPDATE SET quantity = EXCLUDED.quantity, charged = EXCLUDED.charged`,
    );
  }
  const c = plan.chargedOnce;
  if (c.length > 0) {
    writes.add(
      // A key taken from an allowance and paid later in the same cycle is settled anew.
      (p) => `INSERT INTO charged_once (account_id, charge_group, charge_key, period, covered_by, covered_units)
       SELECT * FROM unnest(${p(c.map((x) => x.accountId))}::text[], ${p(c.map((x) => x.group))}::text[], ${p(c.map((x) => x.key))}::text[],
         ${p(c.map((x) => x.period))}::text[], ${p(c.map((x) => x.coveredBy))}::text[], ${p(c.map((x) => decimalString(x.units)))}::numeric[])
       ON CONFLICT (account_id, charge_group, charge_key, period) DO UPDATE SET covered_by = EXCLUDED.covered_by, covered_units = EXCLUDED.covered_units`,
    );
  }
  const w = plan.whatsappWindows;
  if (w.length > 0) {
    writes.add(
      (p) => `INSERT INTO whatsapp_windows (account_id, contact, last_inbound_at)
       SELECT * FROM unnest(${p(w.map((x) => x.accountId))}::text[], ${p(w.map((x) => x.contact))}::text[],
         ${p(w.map((x) => x.lastInboundAt.toISOString()))}::timestamptz[])
       ON CONFLICT (account_id, contact) DO UPDATE SET last_inbound_at = EXCLUDED.last_inbound_at`,
    );
  }
  addSettlementWrites(writes, plan.settlements, now);
  addRollupWrites(writes, plan.events, dimensions);
  return addSpendWrites(writes, plan.spend);
}

/** The account's latest events by when they happened, newest first. */
export async function readRecentEvents(db: Queryable, accountId: string, limit: number): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM usage_events WHERE account_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`, [
    accountId,
    limit,
  ]);
  return rows.map(toStoredEvent);
}

/** What an event listing narrows to: one account, and optionally a type, a time span and report dimensions. */
export interface EventFilter {
  accountId: string;
  type?: string | undefined;
  /** From this moment (inclusive) to `to` (exclusive), by when the events happened. */
  from?: Date | undefined;
  to?: Date | undefined;
  assistant?: string | undefined;
  campaign?: string | undefined;
  number?: string | undefined;
}

/**
 * A page of the account's events matching the filter, newest first by when they happened (then by
 * id), after the event `after` names. The account's (account_id, occurred_at) index serves the
 * order; the other filters are checked on the rows it walks.
 */
export async function readEventPage(
  db: Queryable,
  { filter, after, limit }: { filter: EventFilter; after: { at: Date; id: string } | undefined; limit: number },
): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM usage_events
     WHERE account_id = $1
       AND ($2::text IS NULL OR type = $2)
       AND ($3::timestamptz IS NULL OR occurred_at >= $3)
       AND ($4::timestamptz IS NULL OR occurred_at < $4)
       AND ($5::text IS NULL OR data->>'assistant' = $5)
       AND ($6::text IS NULL OR data->>'campaign' = $6)
       AND ($7::text IS NULL OR data->>'number' = $7)
       AND ($8::timestamptz IS NULL OR (occurred_at, id) < ($8, $9::text))
     ORDER BY occurred_at DESC, id DESC LIMIT $10`,
    [
      filter.accountId,
      filter.type ?? null,
      filter.from?.toISOString() ?? null,
      filter.to?.toISOString() ?? null,
      filter.assistant ?? null,
      filter.campaign ?? null,
      filter.number ?? null,
      after?.at.toISOString() ?? null,
      after?.id ?? null,
      limit,
    ],
  );
  return rows.map(toStoredEvent);
}

/** When the contact last wrote to the account on WhatsApp, opening its 24-hour window. */
export async function readLastInbound(db: Queryable, accountId: string, contact: string): Promise<Date | undefined> {
  const [row] = await db.query<{ last_inbound_at: Date }>('SELECT last_inbound_at FROM whatsapp_windows WHERE account_id = $1 AND contact = $2', [
    accountId,
    contact,
  ]);
  return row?.last_inbound_at;
}

/** Units used of the account's allowances in these periods, by `${meter}|${period}`. */
export async function readAllowanceUsed(
  db: Queryable,
  accountId: string,
  periods: readonly (readonly [meter: string, period: string])[],
): Promise<Map<string, Money>> {
  const used = new Map<string, Money>();
  if (periods.length === 0) return used;
  const rows = await db.query<{ meter: string; period: string; used: string }>(
    `SELECT u.meter, u.period, u.used FROM allowance_usage u JOIN unnest($2::text[], $3::text[]) AS k(m, p) ON u.meter = k.m AND u.period = k.p
     WHERE u.account_id = $1`,
    [accountId, periods.map((p) => p[0]), periods.map((p) => p[1])],
  );
  for (const row of rows) used.set(`${row.meter}|${row.period}`, money(row.used));
  return used;
}
