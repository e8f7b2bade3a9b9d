// Add-on packs: bought at any time, they apply to the current cycle (credits that lapse with it, or
// extra units of an allowance for its period) and are billed on the cycle's invoice.
import { extrasKey } from '../domain/allowance/AllowanceExtras';
import { allowancePeriod } from '../domain/allowance/Allowance';
import { accountPlan } from '../domain/catalog/Catalog';
import { cycleContaining, periodJson, periodText } from '../domain/cycle/Cycle';
import { DomainFailure, validationFailed } from '../domain/errors';
import { changesOf, credit, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money } from '../domain/money';
import { addBookWrites } from '../store/books';
import { addAddOnPurchaseWrites } from '../store/addOnPurchases';
import { readOpenGrants } from '../store/rows';
import { addAllowanceExtrasWrite } from '../store/accounts';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { madeByRequest } from '../audit/RequestTrail';
import { writeAccounts } from './writeAccounts';
import { subscriptionEnding } from '../domain/refusals';

export async function buyAddOn(context: Context, accountId: string, input: { addOn: string; quantity: number }) {
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      // The add-ons of the account's catalog version.
      const catalog = await context.catalogs.forAccount(account);
      const addOn = catalog.addOns.find((a) => a.code === input.addOn);
      if (!addOn) {
        const known = catalog.addOns.map((a) => a.code).join(', ') || 'none';
        throw new DomainFailure(validationFailed('addOn', `unknown add-on '${input.addOn}'; the catalog has ${known}`));
      }
      const plan = accountPlan(catalog, account);
      if (account.endsAt) throw new DomainFailure(subscriptionEnding(account.endsAt, 'buying add-ons'));
      const cycle = cycleContaining(account.anchor, account.interval, now);
      const id = context.newId('add');
      madeByRequest(id);
      const book = openBook(account, (await readOpenGrants(tx, [account.id])).get(account.id) ?? []);
      const applied: Record<string, string> = {};

      if (addOn.credits) {
        const amount = addOn.credits.times(input.quantity);
        credit(book, { grant: { id: context.newId('grt'), kind: 'plan_credits', priority: plan.credits?.priority ?? 0, grantedAt: now, expiresAt: cycle.end, amount }, kind: 'plan_credits', reference: `addon:${id}`, description: `${addOn.name} × ${input.quantity}, ${periodText({ start: now, end: cycle.end })}` }, context.newId);
        applied['credits'] = decimalString(amount);
      }
      let extras = account.allowanceExtras;
      if (addOn.allowance) {
        const allowance = plan.allowances.find((a) => a.meter === addOn.allowance!.meter);
        if (!allowance)
          throw new DomainFailure(validationFailed('addOn', `${plan.name} has no ${addOn.allowance.meter} allowance for ${addOn.name} to add to`));
        const key = extrasKey(allowance.meter, allowancePeriod(allowance, cycle));
        const units = addOn.allowance.units.times(input.quantity);
        extras = { ...extras, [key]: decimalString(money(extras[key] ?? 0).plus(units)) };
        applied[allowance.meter] = decimalString(units);
      }

      // The book's writes notify every process that the account changed, so its allowances are read anew.
      const writes = addBookWrites(new Writes(), { changes: changesOf([book]), recordedAt: now });
      addAddOnPurchaseWrites(writes, {
        id,
        accountId: account.id,
        addOn: addOn.code,
        name: addOn.name,
        quantity: input.quantity,
        unitPrice: addOn.price,
        purchasedAt: now,
      });
      if (addOn.allowance) addAllowanceExtrasWrite(writes, account.id, extras);
      const answer = {
        id,
        account: account.id,
        addOn: addOn.code,
        name: addOn.name,
        quantity: input.quantity,
        unitPrice: decimalString(addOn.price),
        currency: catalog.currency,
        added: applied,
        cycle: periodJson(cycle),
        purchasedAt: now.toISOString(),
        billed: "on this cycle's invoice",
      };
      return { answer, writes, changed: [account.id] };
    },
  });
}
