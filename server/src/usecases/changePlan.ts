// Plan changes: preview or apply. What a change does is decided in domain/plan/decidePlanChange (an
// upgrade at once with a proration invoice, a longer interval at the next whole hour, a downgrade or
// a shorter interval at the cycle's end); here it is read for and written. Scheduled changes can be
// cancelled.
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
}

export async function changePlan(context: Context, accountId: string, input: PlanChangeInput) {
  const target = findPlan(context.catalog, input.plan);
  if (!target)
    throw new DomainFailure(validationFailed('plan', `unknown plan '${input.plan}'; the catalog has ${context.catalog.plans.map((p) => p.code).join(', ')}`));
  return writeAccounts(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      const current = accountPlan(context.catalog, account);
      // Choosing a plan is checked against its availability; staying on one (a new interval) is not.
      if (target.code !== account.plan) {
        const unavailable = availabilityRefusal(target, { at: now, country: accountCountry(account.billing) });
        if (unavailable) throw new DomainFailure(unavailable);
      }
      const cycle = cycleContaining(account.anchor, account.interval, now);
      const featuresInUse = await featuresUsed(tx, { context, account, from: cycle.start, to: cycle.end });
      const decision = decidePlanChange({
        account,
        current,
        target,
        interval: input.interval ?? account.interval,
        featuresInUse,
        taxRate: taxRateOf(account, context.catalog),
        now,
      });
      if (decision.kind === 'none' || input.preview) {
        changesNothing();
        return { answer: decision.kind === 'none' ? decision.view : { ...decision.view, preview: true } };
      }
      if (decision.kind === 'scheduled') {
        const message = webhookMessage(
          'plan.change_scheduled',
          { accountId: account.id, occurredAt: now, newId: context.newId },
          { ...decision.view, links: accountLinks(account.id) },
        );
        const writes = addScheduledChangeWrite(addOutboxWrites(new Writes(), [message], now), {
          accountId: account.id,
          scheduled: decision.scheduled,
          cycleEnd: decision.cycleEndsAt,
        });
        return { answer: decision.view, writes, changed: [account.id] };
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
        const issued = await issueInvoice(tx, { context, account, kind: 'proration', period: fees.period, lines: fees.now, writes, now });
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
      addPlanWrite(writes, account.id, { plan: target.code, since: now, feePaidUntil: fees.paidUntil });
      return { answer: { ...view, invoiceNow: invoice }, writes, changed: [account.id] };
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
