// An account's own prices: set (replacing the ones it had), read and removed. They rate the events
// rated from then on; events rated before keep the charges they have.
import { type AccountPrices, accountPriceIssues, accountPricesToJson } from '../domain/account/AccountPrices';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { addAccountPricesWrite, readAccount } from '../store/accounts';
import { Writes } from '../store/Writes';
import { writeAsIs } from './AccountWrite';
import type { Context } from './Context';

export interface AccountPricesView {
  account: string;
  services: ReturnType<typeof accountPricesToJson>;
}

const viewOf = (account: string, prices: AccountPrices): AccountPricesView => ({ account, services: accountPricesToJson(prices) });

/** Replaces the account's prices with these; a service the catalog does not know, or increments for one that is no duration, is refused naming it. */
export async function setAccountPrices(context: Context, accountId: string, prices: AccountPrices): Promise<AccountPricesView> {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  // Checked against the catalog version the account is on: its services are the ones it is rated by.
  const issue = accountPriceIssues(await context.catalogs.forAccount(account), prices)[0];
  if (issue) throw new DomainFailure(validationFailed(issue.path, issue.message));
  return changePrices(context, accountId, () => prices);
}

/** The account's prices ({} where it has none). */
export async function readAccountPrices(context: Context, accountId: string): Promise<AccountPricesView> {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  return viewOf(account.id, account.prices ?? {});
}

/** Removes all the account's prices, or one service's (not found where the account has none for it). */
export async function removeAccountPrices(context: Context, accountId: string, service?: string): Promise<AccountPricesView> {
  return changePrices(context, accountId, (current) => {
    if (service === undefined) return {};
    if (!Object.hasOwn(current, service)) throw new DomainFailure(validationFailed(`services.${service}`, 'the account has no price of its own for this service'));
    const { [service]: _removed, ...rest } = current;
    return rest;
  });
}

async function changePrices(context: Context, accountId: string, change: (current: AccountPrices) => AccountPrices): Promise<AccountPricesView> {
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ accounts }) => {
      const account = accounts.get(accountId)!;
      const prices = change(account.prices ?? {});
      const writes = addAccountPricesWrite(new Writes(), accountId, accountPricesToJson(prices));
      return { answer: viewOf(accountId, prices), writes, changed: [accountId] };
    },
  });
}
