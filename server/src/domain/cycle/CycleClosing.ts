// What closing a cycle does to an account's book: grants that expired with it lapse, the plan's
// credit package for the next cycle is granted, and each number still rented pays the next
// cycle's rent. Included allowances need nothing: they are counted per cycle and start at zero.
import { accountStatus } from '../account/Account';
import type { Plan } from '../catalog/Catalog';
import { chargeFee, credit, lapseExpiredGrants, type AccountBook } from '../ledger/AccountBook';
import type { NewId } from '../ledger/LedgerEntry';
import { type Money, sum, ZERO } from '../money';
import { cycleRent, type PhoneNumber } from '../phoneNumber/PhoneNumber';
import { type Cycle, periodText } from './Cycle';

export interface ClosedCycle {
  accountId: string;
  closed: Cycle;
  next: Cycle;
  plan: string;
  creditsGranted: Money;
  lapsed: Money;
  /** Each rent charged for the next cycle, for the rollups. */
  rents: { number: PhoneNumber; amount: Money }[];
}


/**
 * Closes the last cycle of a cancelled subscription: what expired lapses, and nothing renews (no
 * package, no rent: its numbers are released with it).
 */
export function closeFinalCycle(book: AccountBook, { plan, closed }: { plan: Plan; closed: Cycle }, newId: NewId): ClosedCycle {
  const before = book.entries.length;
  lapseExpiredGrants(book, closed.end, newId);
  const lapsed = sum(book.entries.slice(before).map((e) => e.amount.negated()));
  book.account.status = accountStatus(plan.billing, book.account.balance);
  return { accountId: book.account.id, closed, next: { start: closed.end, end: closed.end }, plan: plan.code, creditsGranted: ZERO, lapsed, rents: [] };
}

/** Closes `closed` on the book and opens `next`; `numbers` are the account's rentals. */
export function closeCycle(
  book: AccountBook,
  { plan, closed, next, numbers }: { plan: Plan; closed: Cycle; next: Cycle; numbers: readonly PhoneNumber[] },
  newId: NewId,
): ClosedCycle {
  const before = book.entries.length;
  lapseExpiredGrants(book, next.start, newId);
  const lapsed = sum(book.entries.slice(before).map((e) => e.amount.negated()));

  let creditsGranted = ZERO;
  if (plan.credits) {
    creditsGranted = plan.credits[book.account.interval];
    credit(book, { grant: { id: newId('grt'), kind: 'plan_credits', priority: plan.credits.priority, grantedAt: next.start, expiresAt: next.end, amount: creditsGranted }, kind: 'plan_credits', reference: `cycle:${next.start.toISOString()}`, description: `${plan.name} credits for the cycle ${periodText(next)}` }, newId);
  }

  const rents: ClosedCycle['rents'] = [];
  for (const number of numbers) {
    // Kept into the next cycle: rented before it starts and not released before it starts.
    if (number.rentedAt.getTime() >= next.start.getTime()) continue;
    if (number.releasedAt && number.releasedAt.getTime() <= next.start.getTime()) continue;
    const amount = cycleRent(number.monthlyRent, book.account.interval);
    chargeFee(book, { amount, reference: `${number.id}:${next.start.toISOString()}`, description: `Phone number ${number.number} (${number.type}, ${number.country}), ${periodText(next)}`, occurredAt: next.start, now: next.start }, newId);
    if (amount.greaterThan(0)) rents.push({ number, amount });
  }
  book.account.status = accountStatus(plan.billing, book.account.balance);
  return { accountId: book.account.id, closed, next, plan: plan.code, creditsGranted, lapsed, rents };
}
