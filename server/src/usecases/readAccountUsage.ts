// Reads an account as it stands now: plan, grants, balance and each allowance's use in the current
// period. Balance and authorize are both answered from this one read.
import type { Account } from '../domain/account/Account';
import { allowancePeriod, includedUnits, inMeterUnits, remainingUnits } from '../domain/allowance/Allowance';
import { type Catalog, type Plan } from '../domain/catalog/Catalog';
import { withExtras } from '../domain/allowance/AllowanceExtras';
import { cycleContaining, cycleKey, periodJson, type Cycle } from '../domain/cycle/Cycle';
import type { SpendState } from '../domain/limits/SpendLimit';
import { DomainFailure, notFound } from '../domain/errors';
import { type Grant, isUsable } from '../domain/ledger/drawGrants';
import { type AccountRecord, recordPeriods } from '../domain/account/AccountRecord';
import { unknownPlan } from '../domain/refusals';
import { decimalString, type Money, sum, ZERO } from '../domain/money';
import { totalHeld } from '../domain/reservation/Reservation';
import { mayUseTiers } from '../domain/rating/priceInEffect';
import type { Queryable } from '../store/Database';
import { readAccount } from '../store/accounts';
import { readAccountStanding } from '../store/accountStanding';
import type { Context } from './Context';
import { cycleDue } from '../domain/cycle/BilledCycle';
import { closeBeforeReading } from './writeAccounts';

export interface AccountUsage {
  account: Account;
  /** The catalog of the account's version. */
  catalog: Catalog;
  plan: Plan;
  cycle: Cycle;
  grants: Grant[];
  /** What the account can spend now: usable grants minus debt minus what reservations hold. */
  available: Money;
  /** Service units used of each meter in its current period. */
  used: Map<string, Money>;
  /** Credit, service units (by meter) and tiered services' chargeable units (by service) that active reservations hold. */
  held: { amount: Money; units: Map<string, Money>; tiers: Map<string, Money> };
  /** The account's spend limit, where it has one, and what counts against it in this cycle. */
  spendLimit: SpendState | undefined;
  /** Chargeable units tiered services counted in the current cycle, by service. */
  tierUsed: ReadonlyMap<string, Money>;
}

/** The account's usage now; an ended cycle is closed first, so that a paid-up account does not read as paused. */
export async function readAccountUsage(context: Context, accountId: string): Promise<AccountUsage> {
  const record = await readAccountRecord(context, accountId);
  if (!cycleDue(record.account, context.clock.now())) return accountUsageAt(record, context.clock.now())!;
  await closeBeforeReading(context, accountId);
  return accountUsageAt(await readAccountRecord(context, accountId), context.clock.now())!;
}

export async function readAccountRecord(
  context: { db: Queryable; catalogs: Context['catalogs']; clock: Context['clock'] },
  accountId: string,
): Promise<AccountRecord> {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  const catalog = await context.catalogs.forAccount(account);
  const now = context.clock.now();
  const terms = recordPeriods(account, catalog, now);
  if (!terms) throw new DomainFailure(unknownPlan(account.plan));
  const { plan, cycleKey: cycle } = terms;
  const standing = await readAccountStanding(context.db, { accountId: account.id, periods: terms.allowances, cycle, now });
  const { grants, used, reservations } = standing;
  const spent = account.spendLimit === null ? undefined : { period: cycle, amount: standing.spent };
  const tiers = { period: cycle, used: mayUseTiers(catalog, account) ? standing.tierUsed : new Map<string, Money>() };
  return { account, catalog, plan, grants, used, reservations, spent, tiers };
}

/**
 * The account's usage at `now`, or undefined when the record does not hold the allowance periods
 * or the spend of the cycle current at `now` (a cycle has turned since it was read).
 */
export function accountUsageAt(record: AccountRecord, now: Date): AccountUsage | undefined {
  const { account, grants } = record;
  const cycle = cycleContaining(account.anchor, account.interval, now);
  // Add-on packs bought for this cycle raise its allowances.
  const plan = withExtras(record.plan, account.allowanceExtras, cycle);
  const used = new Map<string, Money>();
  for (const allowance of plan.allowances) {
    const units = record.used.get(`${allowance.meter}|${allowancePeriod(allowance, cycle)}`);
    if (units === undefined) return undefined;
    used.set(allowance.meter, units);
  }
  const usable = grants.filter((g) => isUsable(g, now));
  const held = totalHeld(record.reservations, now);
  let spendLimit: SpendState | undefined;
  if (account.spendLimit !== null) {
    if (record.spent?.period !== cycleKey(cycle)) return undefined;
    spendLimit = { limit: account.spendLimit, spent: record.spent.amount, held: held.amount };
  }
  if (record.tiers.period !== cycleKey(cycle)) return undefined;
  const available = sum(usable.map((g) => g.remaining))
    .minus(account.debt)
    .minus(held.amount);
  return { account, catalog: record.catalog, plan, cycle, grants, available, used, held, spendLimit, tierUsed: record.tiers.used };
}

/** Meter units are for people: six fraction digits, so 61 seconds reads 1.016667 minutes. */
const METER_DISPLAY_DECIMALS = 6;
const forPeople = (value: Money) => decimalString(value.toDecimalPlaces(METER_DISPLAY_DECIMALS));

export function balanceView(usage: AccountUsage, now: Date, balanceUnit: string) {
  const { account, plan } = usage;
  return {
    account: account.id,
    plan: plan.code,
    billing: plan.billing,
    unit: balanceUnit,
    balance: decimalString(account.balance),
    available: decimalString(usage.available),
    held: decimalString(usage.held.amount),
    status: account.status,
    cycle: periodJson(usage.cycle),
    allowances: plan.allowances.map((allowance) => {
      const included = includedUnits(allowance, account.interval);
      const used = usage.used.get(allowance.meter) ?? ZERO;
      const remaining = remainingUnits(included, used);
      return {
        meter: allowance.meter,
        unit: allowance.unit,
        period: 'total' in allowance.included ? 'total' : account.interval,
        included: included === 'unlimited' ? 'unlimited' : forPeople(inMeterUnits(included, allowance)),
        used: forPeople(inMeterUnits(used, allowance)),
        remaining: remaining === 'unlimited' ? 'unlimited' : forPeople(inMeterUnits(remaining, allowance)),
      };
    }),
    grants: usage.grants.map((g) => ({
      id: g.id,
      kind: g.kind,
      amount: decimalString(g.amount),
      remaining: decimalString(g.remaining),
      priority: g.priority,
      grantedAt: g.grantedAt.toISOString(),
      expiresAt: g.expiresAt?.toISOString() ?? null,
      usable: isUsable(g, now),
    })),
  };
}
