// Closes an account's cycles that have ended, oldest first, each in its own transaction under the
// account's lock. The account's cycle_end pointer and cycle_closings' key make each closing happen
// once, whichever process runs it and however often: a crash rolls a closing back whole. The
// closed cycle's invoice is issued in the same transaction: its overage, and the next cycle's plan
// fee, paid up front.
import { closeCycle, closeFinalCycle, type ClosedCycle } from '../domain/cycle/CycleClosing';
import { cycleContaining, cycleKey, periodJson } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { changesOf, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money, sum } from '../domain/money';
import { addBookWrites } from '../store/books';
import { addClosingWrites, advanceCycle, type ClosingRow, endSubscription, readClosings } from '../store/cycles';
import { readPhoneNumbers } from '../store/phoneNumbers';
import { addFeeRollupWrites } from '../store/rollups';
import { lockAccounts, readAccount, readOpenGrants } from '../store/rows';
import { readTogether } from '../store/Reads';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { changesNothing } from '../audit/RequestTrail';
import { RENT_CHANNEL } from '../domain/phoneNumber/PhoneNumber';
import { addSpendWrites } from '../store/alerts';
import { watchAccounts, watchStateReads } from './watchAccounts';
import { issueCycleInvoice } from './invoices';
import { accountLinks } from '../domain/alerts/accountSignals';
import { type OutboxMessage, webhookMessage } from '../domain/webhooks/WebhookEvent';
import { closingTerms, currentCycleEnd } from './closingTerms';
import { cycleClosings } from '../metrics/metrics';

// Closings in flight per transaction the store runs side by side: a closing is mostly round trips.
// Two per writer closed 1,000 uninvoiced PostgreSQL accounts in 2.8 s instead of 3.5 s, and leave
// most of the pool to requests. Invoiced closings overlap less: the gapless invoice number is taken
// under a lock held to commit, so a closing takes it after its reads (1,000 invoiced accounts: 3.7 s
// instead of 4.7 s when it was taken before them).
const CLOSINGS_PER_WRITER = 2;

/** The closing's transaction found no cycle to close: it changed nothing. */
function nothingToClose(): undefined {
  changesNothing();
  return undefined;
}

/** Closes every cycle of the account that ended by now; none when it is up to date. */
export async function closeDueCycles(context: Context, accountId: string): Promise<ClosedCycle[]> {
  const closings: ClosedCycle[] = [];
  for (;;) {
    const closing = await context.db.transaction(async (tx) => {
      const account = (await lockAccounts(tx, [accountId])).get(accountId);
      if (!account) throw new DomainFailure(notFound('account', accountId));
      // A subscription that has ended closes nothing any more.
      if (account.endedAt) return nothingToClose();
      const now = context.clock.now();
      const end = currentCycleEnd(account);
      if (end.getTime() > now.getTime()) return nothingToClose();
      const { closed, plan, final, change, refused, nextPlan, terms, next, planFees, paidUntil, usageFrom } = await closingTerms(tx, context, account, end);

      // Everything read before the invoice is numbered: its number's sequence stays locked until
      // commit, and other accounts' closings wait for it.
      const book = openBook(account, (await readOpenGrants(tx, [account.id])).get(account.id) ?? []);
      const numbers = final ? [] : await readPhoneNumbers(tx, account.id, true);
      const watchReads = watchStateReads([{ id: account.id, ...terms }], now);
      const watched = watchReads.finish(await readTogether(tx, watchReads.parts));

      // The invoice first: it settles the closed cycle's postpaid charges before the next cycle's rents.
      const writes = new Writes();
      const issued = await issueCycleInvoice(tx, context, book, plan, { closed, planFees, usageFrom }, writes, now);

      book.account.plan = nextPlan.code;
      book.account.interval = terms.interval;
      book.account.anchor = terms.anchor;
      book.account.feePaidUntil = paidUntil;
      const result = final ? closeFinalCycle(book, plan, closed, context.newId) : closeCycle(book, nextPlan, closed, next, numbers, context.newId);
      addBookWrites(writes, changesOf([book]), now);
      // The closing row records the plan the closed cycle was billed on.
      addClosingWrites(writes, { ...result, plan: plan.code }, now, issued?.invoice.id ?? null);
      addFeeRollupWrites(
        writes,
        result.rents.map((r) => ({
          accountId: account.id,
          at: next.start,
          channel: RENT_CHANNEL,
          service: `${r.number.type}_number_rent`,
          unit: 'number',
          number: r.number.number,
          quantity: money(1),
          amount: r.amount,
        })),
      );
      const about = { accountId: account.id, occurredAt: now, newId: context.newId };
      const closedMessage = webhookMessage('cycle.closed', about, {
        ...closingView(result),
        invoice: issued?.invoice.id ?? null,
        final,
        balance: decimalString(book.account.balance),
        status: book.account.status,
        links: accountLinks(account.id),
      });
      const messages: OutboxMessage[] = issued ? [closedMessage, issued.message] : [closedMessage];
      if (refused) {
        messages.push(
          webhookMessage('plan.change_failed', about, {
            account: account.id,
            from: { plan: plan.code, interval: account.interval },
            to: { plan: refused.change.plan, interval: refused.change.interval },
            reason: 'plan_limits_exceeded',
            limits: refused.limits,
            features: refused.features,
            message: `${refused.message} The account stays on ${plan.name}.`,
            links: accountLinks(account.id),
          }),
        );
      }
      if (change && !final) {
        messages.push(
          webhookMessage('plan.changed', about, { account: account.id, from: { plan: plan.code, interval: account.interval }, to: { plan: nextPlan.code, interval: book.account.interval }, kind: 'scheduled', effectiveAt: end.toISOString(), links: accountLinks(account.id) }),
        );
      }
      // The next cycle's rents are spent in it, as usage is: spend alerts count them.
      const rents = sum(result.rents.map((r) => r.amount));
      const spend = rents.greaterThan(0) ? [{ accountId: account.id, period: cycleKey(next), amount: rents }] : [];
      addSpendWrites(writes, spend);
      await watchAccounts(tx, context, [{ before: account, after: book.account, allowanceUsed: new Map() }], spend, messages, writes, now, watched);
      await writes.run(tx);
      if (final) await endSubscription(tx, account.id, end, now);
      else await advanceCycle(tx, book.account, next);
      return result;
    });
    if (!closing) return closings;
    context.snapshots.changed([accountId]);
    cycleClosings.inc({ outcome: 'closed' });
    closings.push(closing);
  }
}

/**
 * Closes the due cycles of many accounts, several accounts at a time where the store runs
 * transactions side by side (each closing locks only its own account). Resolves with the accounts
 * whose closing failed; `closed` hears of each account that closed anything.
 */
export async function closeDueCyclesOf(
  context: Context,
  accountIds: readonly string[],
  closed: (accountId: string, closings: ClosedCycle[]) => void = () => undefined,
): Promise<Map<string, unknown>> {
  const failures = new Map<string, unknown>();
  let next = 0;
  const closer = async () => {
    while (next < accountIds.length) {
      const id = accountIds[next++]!;
      try {
        const closings = await closeDueCycles(context, id);
        if (closings.length > 0) closed(id, closings);
      } catch (error) {
        cycleClosings.inc({ outcome: 'failed' });
        failures.set(id, error);
      }
    }
  };
  const side = Math.min(accountIds.length, context.db.parallelWrites * CLOSINGS_PER_WRITER);
  await Promise.all(Array.from({ length: side }, closer));
  return failures;
}

export function closingView(c: ClosedCycle) {
  return {
    account: c.accountId,
    cycle: periodJson(c.closed),
    next: periodJson(c.next),
    plan: c.plan,
    creditsGranted: decimalString(c.creditsGranted),
    lapsed: decimalString(c.lapsed),
    rentsCharged: decimalString(sum(c.rents.map((r) => r.amount))),
  };
}

function closingRowView(row: ClosingRow) {
  return {
    account: row.account_id,
    cycle: { start: row.cycle_start.toISOString(), end: row.cycle_end.toISOString() },
    closedAt: row.closed_at.toISOString(),
    plan: row.plan,
    creditsGranted: decimalString(money(row.credits_granted)),
    lapsed: decimalString(money(row.lapsed)),
    rentsCharged: decimalString(money(row.rents_charged)),
    invoice: row.invoice_id,
  };
}

/** The account's current cycle and every closing so far. */
export async function listCycles(context: Context, accountId: string) {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  const current = cycleContaining(account.anchor, account.interval, context.clock.now());
  const closings = await readClosings(context.db, accountId);
  return { account: account.id, current: periodJson(current), closings: closings.map(closingRowView) };
}
