// Plan changes: preview or apply. What a change does is decided in domain/plan/decidePlanChange (an
// upgrade at once with a proration invoice, a longer interval at the next whole hour, a downgrade or
// a shorter interval at the cycle's end); here it is read for and written. Scheduled changes can be
// cancelled. A change may move the account to the latest catalog version (`catalogVersion: latest`;
// the operator's migration names a version): the target plan is then the version's, and the same
// plan on another version is a change like any other (its fee compared as for an upgrade).
import { fullCycleEnd } from '../domain/cycle/closingTerms';
import { accountLinks } from '../domain/alerts/accountSignals';
import { accountPlan, findPlan, type Interval } from '../domain/catalog/Catalog';
import { accountCountry, availabilityRefusal } from '../domain/plan/availability';
import { cycleContaining } from '../domain/cycle/Cycle';
import { DomainFailure, validationFailed } from '../domain/errors';
import { changesOf, credit, openBook } from '../domain/ledger/AccountBook';
import { decidePlanChange } from '../domain/plan/decidePlanChange';
import { type OutboxMessage, webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addBookWrites } from '../store/books';
import { addOutboxWrites } from '../store/outbox';
import { addPlanWrite, addScheduledChangeDrop, addScheduledChangeWrite } from '../store/accounts';
import { readOpenGrants } from '../store/rows';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { changesNothing } from '../audit/RequestTrail';
import { writeAsIs } from './AccountWrite';
import { writeAccounts } from './writeAccounts';
import { featuresUsed } from './featuresUsed';
import { invoiceView, issueInvoice, taxRateOf } from './invoices';

export interface PlanChangeInput {
  plan: string;
  interval?: Interval | undefined;
  preview?: boolean | undefined;
  /** Keep the account's catalog version (the default), move to the latest, or to this version (a migration). */
  catalogVersion?: 'keep' | 'latest' | number | undefined;
}

export async function changePlan(context: Context, accountId: string, input: PlanChangeInput) {
  // The latest version is asked of the store before the account is locked: a version published
  // meanwhile is the next change's.
  const targetVersion =
    input.catalogVersion === 'latest'
      ? await context.catalogs.latest()
      : typeof input.catalogVersion === 'number'
        ? await context.catalogs.get(input.catalogVersion)
        : undefined;
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      const catalog = await context.catalogs.forAccount(account);
      const fromVersion = account.catalogVersion ?? 1;
      const toVersion = targetVersion?.version ?? fromVersion;
      const targetCatalog = targetVersion?.catalog ?? catalog;
      const target = findPlan(targetCatalog, input.plan);
      if (!target) {
        const known = targetCatalog.plans.map((p) => p.code).join(', ');
        throw new DomainFailure(validationFailed('plan', `unknown plan '${input.plan}'; catalog version ${toVersion} has ${known}`));
      }
      const current = accountPlan(catalog, account);
      // Choosing a plan is checked against its availability; staying on one (a new interval) is not.
      if (target.code !== account.plan) {
        const unavailable = availabilityRefusal(target, { at: now, country: accountCountry(account.billing) });
        if (unavailable) throw new DomainFailure(unavailable);
      }
      const cycle = cycleContaining(account.anchor, account.interval, now);
      const featuresInUse = await featuresUsed(tx, { catalog, account, from: cycle.start, to: cycle.end });
      const decision = decidePlanChange({
        account,
        current,
        target,
        interval: input.interval ?? account.interval,
        featuresInUse,
        taxRate: taxRateOf(account, targetCatalog),
        now,
        newVersion: toVersion !== fromVersion,
      });
      // Said only where a version was asked for: answers of plain plan changes stay as they were.
      const versions = input.catalogVersion === undefined || input.catalogVersion === 'keep' ? {} : { catalogVersion: { from: fromVersion, to: toVersion } };
      if (decision.kind === 'none' || input.preview) {
        changesNothing();
        return { answer: decision.kind === 'none' ? { ...decision.view, ...versions } : { ...decision.view, ...versions, preview: true } };
      }
      if (decision.kind === 'scheduled') {
        // The version moves with the plan at the cycle's end.
        const scheduled = toVersion !== fromVersion ? { ...decision.scheduled, catalogVersion: toVersion } : decision.scheduled;
        const message = webhookMessage(
          'plan.change_scheduled',
          { accountId: account.id, occurredAt: now, newId: context.newId },
          { ...decision.view, links: accountLinks(account.id) },
        );
        const writes = addScheduledChangeWrite(addOutboxWrites(new Writes(), [message], now), {
          accountId: account.id,
          scheduled,
          cycleEnd: decision.cycleEndsAt,
        });
        return { answer: { ...decision.view, ...versions }, writes, changed: [account.id] };
      }

      const { view, fees, credits } = decision;
      const book = openBook(account, (await readOpenGrants(tx, [account.id])).get(account.id) ?? []);
      if (credits) {
        credit(
          book,
          {
            grant: {
              id: context.newId('grt'),
              kind: 'plan_credits',
              priority: target.credits?.priority ?? 0,
              grantedAt: now,
              expiresAt: credits.expiresAt,
              amount: credits.amount,
            },
            kind: 'plan_credits',
            reference: credits.reference,
            description: credits.description,
          },
          context.newId,
        );
      }
      const messages: OutboxMessage[] = [];
      const writes = new Writes();
      let invoice = null;
      if (fees.now.length > 0) {
        const issued = await issueInvoice(tx, {
          context: { newId: context.newId, catalog: targetCatalog },
          account,
          kind: 'proration',
          period: fees.period,
          lines: fees.now,
          writes,
          now,
        });
        messages.push(issued.message);
        invoice = invoiceView(issued.invoice);
      }
      messages.push(
        webhookMessage(
          'plan.changed',
          { accountId: account.id, occurredAt: now, newId: context.newId },
          { account: account.id, from: view.from, to: view.to, kind: view.kind, effectiveAt: view.effectiveAt, links: accountLinks(account.id) },
        ),
      );
      addBookWrites(writes, { changes: changesOf([book]), recordedAt: now });
      addOutboxWrites(writes, messages, now);
      addPlanWrite(writes, account.id, { plan: target.code, since: now, feePaidUntil: fees.paidUntil, catalogVersion: toVersion });
      return { answer: { ...view, ...versions, invoiceNow: invoice }, writes, changed: [account.id] };
    },
  });
}

/** Cancels a scheduled change; says so when there was none. */
export async function cancelPlanChange(context: Context, accountId: string) {
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ accounts }) => {
      const account = accounts.get(accountId)!;
      const had = account.scheduledChange !== null;
      if (!had) changesNothing();
      const answer = { account: accountId, cancelled: had, message: had ? 'The scheduled plan change is cancelled.' : 'No plan change was scheduled.' };
      return { answer, writes: addScheduledChangeDrop(new Writes(), account.id, fullCycleEnd(account)), changed: had ? [account.id] : [] };
    },
  });
}
