// The records (see AccountRecord) that an ingestion leaves its accounts in, worked out from what it
// read under their locks and what it decided, so that the process remembers them at commit instead
// of reading the store again: authorize between a call's events answers from memory.
import { type AccountRecord, recordPeriods } from '../account/AccountRecord';
import type { Catalog } from '../catalog/Catalog';
import type { Grant } from '../ledger/drawGrants';
import { type Money, ZERO } from '../money';
import { mayUseTiers } from '../rating/priceInEffect';
import type { Reservation } from '../reservation/Reservation';
import type { AccountState, IngestionPlan } from './planIngestion';

export function recordsAfterIngestion(input: {
  /** The accounts to work out: each was read with its record's periods and active reservations (loadIngestionState's `standing`). */
  accountIds: readonly string[];
  /** The states as read under the locks, advanced by planIngestion. */
  states: ReadonlyMap<string, AccountState>;
  plan: IngestionPlan;
  catalogs: ReadonlyMap<string, Catalog>;
  /** Active reservations when read, by account. */
  reservations: ReadonlyMap<string, readonly Reservation[]>;
  /** The cycle's spend as stored before, by `${account}|${cycle key}`. */
  spentBefore: ReadonlyMap<string, Money>;
  now: Date;
}): Map<string, AccountRecord> {
  const { plan, now } = input;
  const accountsAfter = new Map(plan.books.accounts.map((a) => [a.id, a]));
  const remaining = new Map(plan.books.changedGrants.map((g) => [g.id, g.remaining]));
  const newGrants = Map.groupBy(plan.books.newGrants, (g) => g.accountId);
  const settled = new Set(plan.settlements.map((s) => s.reservationId));
  // The plan holds one entry per account and cycle.
  const spentNow = new Map(plan.spend.map((s) => [`${s.accountId}|${s.period}`, s.amount]));

  const records = new Map<string, AccountRecord>();
  for (const accountId of input.accountIds) {
    const state = input.states.get(accountId);
    const catalog = input.catalogs.get(accountId);
    if (!state || !catalog) continue;
    const account = accountsAfter.get(accountId) ?? state.account;
    const terms = recordPeriods(account, catalog, now);
    if (!terms) continue;
    const grants: Grant[] = [
      ...state.grants.map((g) => (remaining.has(g.id) ? { ...g, remaining: remaining.get(g.id)! } : g)),
      ...(newGrants.get(accountId) ?? []).map((n) => n.grant),
    ].filter((g) => g.remaining.gt(0));
    const used = new Map(terms.allowances.map(([meter, period]) => [`${meter}|${period}`, state.allowanceUsed.get(`${meter}|${period}`) ?? ZERO]));
    const cycle = `${accountId}|${terms.cycleKey}`;
    const spent =
      account.spendLimit === null ? undefined : { period: terms.cycleKey, amount: (input.spentBefore.get(cycle) ?? ZERO).plus(spentNow.get(cycle) ?? ZERO) };
    const tierUsed = new Map<string, Money>();
    if (mayUseTiers(catalog, account)) {
      for (const [key, count] of state.tierUsed ?? []) {
        const [service, period] = splitOnce(key);
        if (period === terms.cycleKey) tierUsed.set(service, count.quantity);
      }
    }
    records.set(accountId, {
      account,
      catalog,
      plan: terms.plan,
      grants,
      used,
      reservations: (input.reservations.get(accountId) ?? []).filter((r) => !settled.has(r.id)),
      spent,
      tiers: { period: terms.cycleKey, used: tierUsed },
    });
  }
  return records;
}

/** A `${service}|${period}` key: a service code holds no `|`, a period may. */
function splitOnce(key: string): [string, string] {
  const at = key.indexOf('|');
  return [key.slice(0, at), key.slice(at + 1)];
}
