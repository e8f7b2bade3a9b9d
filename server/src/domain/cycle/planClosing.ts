// What closing a cycle does, decided on the account's book from the closing's terms: the book's
// changes (closeCycle or closeFinalCycle), the next cycle's rents as fees and spend, and the
// messages that announce it (cycle.closed, the invoice's, a scheduled change applied or refused).
// The shell reads what this needs and writes what it says.
import type { Account } from '../account/Account';
import { accountLinks } from '../alerts/accountSignals';
import type { AccountBook } from '../ledger/AccountBook';
import type { NewId } from '../ledger/LedgerEntry';
import { decimalString, type Money, money, sum } from '../money';
import { type PhoneNumber, RENT_CHANNEL } from '../phoneNumber/PhoneNumber';
import type { FeeCharge } from '../report/UsageRollup';
import { type OutboxMessage, webhookMessage } from '../webhooks/WebhookEvent';
import type { ClosingTerms } from './closingTerms';
import { closeCycle, type ClosedCycle, closeFinalCycle } from './CycleClosing';
import { cycleKey, periodJson } from './Cycle';

export interface ClosingPlan {
  result: ClosedCycle;
  /** In the order subscribers hear them: the closing, its invoice, the change. */
  messages: OutboxMessage[];
  rents: FeeCharge[];
  /** The next cycle's rents are spent in it, as usage is: spend alerts count them. */
  spend: { accountId: string; period: string; amount: Money }[];
}

export function planClosing(input: {
  /** The account as it was locked, before the closing. */
  before: Account;
  /** Its book, where the closed cycle's invoice has settled what it bills. */
  book: AccountBook;
  terms: ClosingTerms;
  /** The account's rentals; none for a final cycle. */
  numbers: readonly PhoneNumber[];
  invoice: { id: string; message: OutboxMessage } | undefined;
  now: Date;
  newId: NewId;
}): ClosingPlan {
  const { before, book, terms, now, newId } = input;
  const { closed, plan, final, change, refused, nextPlan, next } = terms;
  book.account.plan = nextPlan.code;
  book.account.catalogVersion = terms.nextCatalogVersion;
  book.account.interval = terms.terms.interval;
  book.account.anchor = terms.terms.anchor;
  book.account.feePaidUntil = terms.paidUntil;
  const result = final ? closeFinalCycle(book, { plan, closed }, newId) : closeCycle(book, { plan: nextPlan, closed, next, numbers: input.numbers }, newId);
  const links = accountLinks(before.id);
  const about = { accountId: before.id, occurredAt: now, newId };

  const messages: OutboxMessage[] = [
    webhookMessage('cycle.closed', about, {
      ...closingView(result),
      invoice: input.invoice?.id ?? null,
      final,
      balance: decimalString(book.account.balance),
      status: book.account.status,
      links,
    }),
  ];
  if (input.invoice) messages.push(input.invoice.message);
  const from = { plan: plan.code, interval: before.interval };
  if (refused) {
    messages.push(
      webhookMessage('plan.change_failed', about, {
        account: before.id,
        from,
        to: { plan: refused.change.plan, interval: refused.change.interval },
        reason: 'plan_limits_exceeded',
        limits: refused.limits,
        features: refused.features,
        message: `${refused.message} The account stays on ${plan.name}.`,
        links,
      }),
    );
  }
  if (change && !final) {
    messages.push(
      webhookMessage('plan.changed', about, {
        account: before.id,
        from,
        to: { plan: nextPlan.code, interval: book.account.interval },
        kind: 'scheduled',
        effectiveAt: closed.end.toISOString(),
        links,
      }),
    );
  }
  const rents = result.rents.map((r) => ({
    accountId: before.id,
    at: next.start,
    channel: RENT_CHANNEL,
    service: `${r.number.type}_number_rent`,
    unit: 'number',
    number: r.number.number,
    quantity: money(1),
    amount: r.amount,
  }));
  const rentTotal = sum(result.rents.map((r) => r.amount));
  const spend = rentTotal.greaterThan(0) ? [{ accountId: before.id, period: cycleKey(next), amount: rentTotal }] : [];
  return { result, messages, rents, spend };
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
