// Reads what the closing terms (domain/cycle/closingTerms) are decided on: the account's catalog and
// the one a due change moves it to, and the features the closed cycle used, where a change to
// another plan is due with it.
import type { Account } from '../domain/account/Account';
import { type ClosingTerms, closingTerms, cycleClosingAt, planChangeDueAt } from '../domain/cycle/closingTerms';
import type { Queryable } from '../store/Database';
import type { Context } from './Context';
import { featuresUsed } from './featuresUsed';

export async function readClosingTerms(
  tx: Queryable,
  { context, account, end }: { context: Pick<Context, 'catalogs'>; account: Account; end: Date },
): Promise<ClosingTerms> {
  const closed = cycleClosingAt(account, end);
  const catalog = await context.catalogs.forAccount(account);
  const due = planChangeDueAt(account, end);
  const nextCatalog = due?.catalogVersion !== undefined ? await context.catalogs.forAccount({ catalogVersion: due.catalogVersion }) : catalog;
  const features = due ? await featuresUsed(tx, { catalog, account, from: closed.start, to: closed.end }) : [];
  return closingTerms({ account, catalog, nextCatalog, end, featuresUsed: features });
}
