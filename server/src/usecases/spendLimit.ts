// Sets and removes a postpaid account's spend limit, and says where the cycle stands against it.
import type { Account } from '../domain/account/Account';
import { accountPlan } from '../domain/catalog/Catalog';
import { cycleContaining, cycleKey, periodJson } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { spendLimitReached, spendLimitReachedMessage, takesSpendLimit } from '../domain/limits/SpendLimit';
import { decimalString, Money, ZERO } from '../domain/money';
import { readCycleSpend } from '../store/alerts';
import type { Queryable } from '../store/Database';
import { readAccount } from '../store/accounts';
import { writeAsIs } from './AccountWrite';
import { addSpendLimitNoticeWrites, saveSpendLimit } from '../store/spendLimits';
import { addOutboxWrites } from '../store/outbox';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { spendLimitNotApplicable } from '../domain/refusals';

/** Sets the limit (per cycle, in the invoice currency); one the cycle's spend has reached already refuses from now on. */
export async function setSpendLimit(context: Context, accountId: string, amount: Money) {
  return changeSpendLimit(context, accountId, amount);
}

/** Removes the limit (`previous` says what it was; null when there was none). */
export async function removeSpendLimit(context: Context, accountId: string) {
  return changeSpendLimit(context, accountId, null);
}

/** The limit and the cycle's spend against it. */
export async function readSpendLimit(context: Context, accountId: string) {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  return (await spendLimitView(context.db, { context, account, before: account.spendLimit, now: context.clock.now() })).body;
}

async function changeSpendLimit(context: Context, accountId: string, limit: Money | null) {
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      const catalog = await context.catalogs.forAccount(account);
      const plan = accountPlan(catalog, account);
      if (limit !== null && !takesSpendLimit(catalog, plan)) {
        throw new DomainFailure(spendLimitNotApplicable(plan, catalog));
      }
      await saveSpendLimit(tx, accountId, limit);
      const view = await spendLimitView(tx, { context, account: { ...account, spendLimit: limit }, before: account.spendLimit, now });
      const writes = new Writes();
      // A limit the cycle's spend has reached already is reported at once, and once.
      if (limit !== null && view.reached) {
        addSpendLimitNoticeWrites(writes, [{ accountId, period: cycleKey(view.cycleOf), spent: view.spentAmount }], now);
        addOutboxWrites(
          writes,
          [
            spendLimitReachedMessage({
              account,
              limit,
              spent: view.spentAmount,
              cycle: view.cycleOf,
              currency: catalog.currency,
              at: now,
              newId: context.newId,
            }),
          ],
          now,
        );
      }
      return { answer: view.body, writes, changed: [accountId] };
    },
  });
}

async function spendLimitView(tx: Queryable, { context, account, before, now }: { context: Context; account: Account; before: Money | null; now: Date }) {
  const cycle = cycleContaining(account.anchor, account.interval, now);
  const spent = await readCycleSpend(tx, account.id, cycleKey(cycle));
  const limit = account.spendLimit;
  const { currency } = await context.catalogs.forAccount(account);
  const body = {
    account: account.id,
    limit: limit === null ? null : decimalString(limit),
    /** The limit before this change (the same on a read). */
    previous: before === null ? null : decimalString(before),
    currency,
    cycle: periodJson(cycle),
    spent: decimalString(spent),
    remaining: limit === null ? null : decimalString(Money.max(ZERO, limit.minus(spent))),
    reached: spendLimitReached(limit, spent),
  };
  return { body, reached: body.reached, cycleOf: cycle, spentAmount: spent };
}
