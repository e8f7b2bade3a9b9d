// Reads what the closing terms (domain/cycle/closingTerms) are decided on: the features the closed
// cycle used, where a change to another plan is due with it.
import type { Account } from '../domain/account/Account';
import { type ClosingTerms, closingTerms, cycleClosingAt, planChangeDueAt } from '../domain/cycle/closingTerms';
import type { Queryable } from '../store/Database';
import type { Context } from './Context';
import { featuresUsed } from './featuresUsed';

export async function readClosingTerms(tx: Queryable, { context, account, end }: { context: Pick<Context, 'catalog'>; account: Account; end: Date }): Promise<ClosingTerms> {
  const closed = cycleClosingAt(account, end);
  const features = planChangeDueAt(account, end) ? await featuresUsed(tx, { context, account, from: closed.start, to: closed.end }) : [];
  return closingTerms({ account, catalog: context.catalog, end, featuresUsed: features });
}
