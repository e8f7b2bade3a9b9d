// Changes an account's name, contact e-mail, metadata (given keys set, null removes one) or billing
// details (replaced whole), or the language and time zone it reads; plan changes have their own use
// case. Invoices issued before keep the language they were issued in; billing details that give a
// business buyer its address issue the invoices held for it as drafts.
import type { Account } from '../domain/account/Account';
import { accountPlan } from '../domain/catalog/Catalog';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { limitViolations, planLimitsExceeded } from '../domain/plan/PlanChange';
import { type AccountDetails, saveAccountDetails, saveResources } from '../store/accounts';
import { writeAsIs } from './AccountWrite';
import { issueHeldDrafts } from './issueDrafts';
import { Writes } from '../store/Writes';
import type { Context } from './Context';

export async function updateAccount(context: Context, accountId: string, change: AccountDetails): Promise<Account> {
  return writeAsIs(context, {
    // Under the account's lock, as its closing: a draft made while the address changes is issued by one of them.
    accounts: [accountId],
    run: async ({ tx, now }) => {
      const account = await saveAccountDetails(tx, accountId, change);
      if (!account) throw new DomainFailure(notFound('account', accountId));
      const writes = new Writes();
      if (change.billing)
        await issueHeldDrafts(tx, { context: { newId: context.newId, catalog: await context.catalogs.forAccount(account) }, account, writes, now });
      return { answer: account, writes, changed: [account.id] };
    },
  });
}

/**
 * Replaces the account's counted resources; a resource no plan limits is refused by name, and so is
 * a count past what the account's plan allows (plan limits hold at all times, not only at a change).
 */
export async function setResources(context: Context, accountId: string, resources: Record<string, number>): Promise<Account> {
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ tx, accounts }) => {
      const account = accounts.get(accountId)!;
      // The resources the plans of the account's catalog version limit.
      const catalog = await context.catalogs.forAccount(account);
      const known = new Set(catalog.plans.flatMap((p) => Object.keys(p.limits)));
      for (const name of Object.keys(resources)) {
        if (!known.has(name))
          throw new DomainFailure(validationFailed(name, `no plan limits '${name}'; the catalog limits ${[...known].join(', ') || 'nothing'}`));
      }
      const plan = accountPlan(catalog, account);
      const limits = limitViolations(plan, resources);
      if (limits.length > 0) {
        throw new DomainFailure(planLimitsExceeded({ plan, limits, features: [], field: limits[0]!.limit }));
      }
      return { answer: await saveResources(tx, accountId, resources), changed: [accountId] };
    },
  });
}
