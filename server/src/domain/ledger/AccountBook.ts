// The in-memory book of one account inside a write: its grants and balance, changed only through
// these functions so that every change leaves a ledger entry and the invariant
// balance = sum of grants' remaining - debt holds after each one.
import type { Account } from '../account/Account';
import { Money, sum, ZERO, minOf } from '../money';
import { consumptionOrder, drawFromGrants, type Grant, type GrantKind } from './drawGrants';
import type { LedgerEntry, LedgerKind, NewId } from './LedgerEntry';

export interface AccountBook {
  account: Account;
  grants: Grant[];
  entries: LedgerEntry[];
  changedGrants: Set<string>;
  newGrants: Grant[];
}

export function openBook(account: Account, grants: Grant[]): AccountBook {
  return { account: { ...account }, grants: grants.map((g) => ({ ...g })), entries: [], changedGrants: new Set(), newGrants: [] };
}

function append(
  book: AccountBook,
  newId: NewId,
  entry: {
    kind: LedgerKind;
    amount: Money;
    grantId: string | null;
    eventId: string | null;
    reference: string | null;
    description: string;
    reason?: string | null;
    occurredAt: Date;
  },
): LedgerEntry {
  book.account.balance = book.account.balance.plus(entry.amount);
  const written: LedgerEntry = { id: newId('led'), accountId: book.account.id, balanceAfter: book.account.balance, ...entry, reason: entry.reason ?? null };
  book.entries.push(written);
  return written;
}

const GRANT_NAMES: Record<GrantKind, string> = { topup: 'top-up', plan_credits: 'plan credits', adjustment: 'adjustment', refund: 'refund' };

/** Grants whose expiry has passed lapse: what is left of them leaves the balance. */
export function lapseExpiredGrants(book: AccountBook, now: Date, newId: NewId): void {
  for (const grant of book.grants) {
    if (grant.expiresAt === null || grant.expiresAt.getTime() > now.getTime() || !grant.remaining.greaterThan(0)) continue;
    const lapsed = grant.remaining;
    grant.remaining = ZERO;
    book.changedGrants.add(grant.id);
    append(book, newId, {
      kind: 'expiry',
      amount: lapsed.negated(),
      grantId: grant.id,
      eventId: null,
      reference: null,
      description: `Expired: ${GRANT_NAMES[grant.kind]} ${grant.id}`,
      occurredAt: grant.expiresAt,
    });
  }
  assertBalanced(book);
}

/** Charges `amount` for an event to the account: grants in consumption order, the rest as debt. */
export function debit(
  book: AccountBook,
  charge: { amount: Money; eventId: string; occurredAt: Date; now: Date; description?: string; reference?: string | null; reason?: string },
  newId: NewId,
): void {
  const { eventId, description, reference, ...rest } = charge;
  draw(book, { ...rest, eventId, kind: 'usage', reference: reference ?? null, description: description ?? `Usage ${eventId}` }, newId);
}

/** Charges a recurring fee (a number's rent) the way usage is charged, under the fee's reference. */
export function chargeFee(book: AccountBook, fee: { amount: Money; reference: string; description: string; occurredAt: Date; now: Date }, newId: NewId): void {
  draw(book, { ...fee, kind: 'fee', eventId: null }, newId);
}

/** Draws a charge from the grants in consumption order, the rest as debt; returns the entries it wrote. */
function draw(
  book: AccountBook,
  charge: {
    amount: Money;
    kind: 'usage' | 'fee' | 'adjustment';
    eventId: string | null;
    reference: string | null;
    description: string;
    reason?: string;
    occurredAt: Date;
    now: Date;
  },
  newId: NewId,
): LedgerEntry[] {
  const { amount, now, ...entry } = charge;
  const first = book.entries.length;
  if (!amount.greaterThan(0)) return [];
  const { draws, uncovered } = drawFromGrants(amount, book.grants, now);
  for (const d of draws) {
    const grant = book.grants.find((g) => g.id === d.grantId)!;
    grant.remaining = grant.remaining.minus(d.amount);
    book.changedGrants.add(grant.id);
    append(book, newId, { ...entry, amount: d.amount.negated(), grantId: grant.id });
  }
  if (uncovered.greaterThan(0)) {
    book.account.debt = book.account.debt.plus(uncovered);
    append(book, newId, { ...entry, amount: uncovered.negated(), grantId: null });
  }
  assertBalanced(book);
  return book.entries.slice(first);
}

/**
 * Moves postpaid charges onto an invoice: what they added to the debt leaves it, so the balance
 * starts the next cycle from what was charged since. Never more than the debt.
 */
export function settle(book: AccountBook, settlement: { amount: Money; reference: string; description: string; occurredAt: Date }, newId: NewId): void {
  const { amount, reference, description, occurredAt } = settlement;
  const settled = minOf(amount, book.account.debt);
  if (!settled.greaterThan(0)) return;
  book.account.debt = book.account.debt.minus(settled);
  append(book, newId, { kind: 'settlement', amount: settled, grantId: null, eventId: null, reference, description, occurredAt });
  assertBalanced(book);
}

/**
 * Takes back `amount` of what an invoice settled and gives those charges back: an unsettlement
 * puts the debt the invoice took over back on the account, and a void entry forgives it at once.
 * The balance ends where it was; the ledger says the invoice no longer bills those charges and the
 * account owes nothing for them. `amount` is never more than the invoice's settlement has left.
 */
export function reverseSettlement(
  book: AccountBook,
  reversal: { amount: Money; reference: string; description: string; reason: string; occurredAt: Date; eventId?: string | null },
  newId: NewId,
): void {
  const { amount, reference, description, reason, occurredAt } = reversal;
  const eventId = reversal.eventId ?? null;
  if (!amount.greaterThan(0)) return;
  book.account.debt = book.account.debt.plus(amount);
  append(book, newId, { kind: 'unsettlement', amount: amount.negated(), grantId: null, eventId, reference, description, reason, occurredAt });
  assertBalanced(book);
  // The debt is back, so forgiving the charges pays exactly it.
  book.account.debt = book.account.debt.minus(amount);
  append(book, newId, { kind: 'void', amount, grantId: null, eventId, reference, description, reason, occurredAt });
  assertBalanced(book);
}

/** Adds a grant (a top-up, a plan credit package, an adjustment, a credit note refunded to the balance); it pays back any debt first. */
export function credit(
  book: AccountBook,
  added: {
    grant: Omit<Grant, 'remaining'>;
    kind: 'topup' | 'plan_credits' | 'adjustment' | 'refund';
    reference: string | null;
    description: string;
    reason?: string;
  },
  newId: NewId,
): LedgerEntry {
  const { grant, kind, reference, description, reason } = added;
  const repaid = minOf(book.account.debt, grant.amount);
  book.account.debt = book.account.debt.minus(repaid);
  const granted: Grant = { ...grant, remaining: grant.amount.minus(repaid) };
  book.grants.push(granted);
  book.newGrants.push(granted);
  const entry = append(book, newId, {
    kind,
    amount: grant.amount,
    grantId: grant.id,
    eventId: null,
    reference,
    description,
    reason: reason ?? null,
    occurredAt: grant.grantedAt,
  });
  assertBalanced(book);
  return entry;
}

/**
 * Gives back what a charge drew, to where it came from: the grant it drew on while that grant
 * lives (up to what it granted), then the debt it added, and what neither takes as a grant of its
 * own (a `refund`, without expiry: the grant drawn on has lapsed or is gone).
 */
export function giveBack(
  book: AccountBook,
  given: { amount: Money; grantId: string | null; eventId: string; reference: string | null; description: string; reason: string; occurredAt: Date; now: Date },
  newId: NewId,
): void {
  const { amount, grantId, now, ...entry } = given;
  let left = amount;
  const grant = grantId === null ? undefined : book.grants.find((g) => g.id === grantId);
  if (grant && (grant.expiresAt === null || grant.expiresAt.getTime() > now.getTime())) {
    const back = minOf(left, grant.amount.minus(grant.remaining));
    if (back.greaterThan(0)) {
      grant.remaining = grant.remaining.plus(back);
      book.changedGrants.add(grant.id);
      append(book, newId, { ...entry, kind: 'void', amount: back, grantId: grant.id });
      left = left.minus(back);
    }
  }
  const repaid = minOf(left, book.account.debt);
  if (repaid.greaterThan(0)) {
    book.account.debt = book.account.debt.minus(repaid);
    append(book, newId, { ...entry, kind: 'void', amount: repaid, grantId: null });
    left = left.minus(repaid);
  }
  if (left.greaterThan(0)) {
    const refund: Grant = { id: newId('grt'), kind: 'refund', priority: 0, grantedAt: now, expiresAt: null, amount: left, remaining: left };
    book.grants.push(refund);
    book.newGrants.push(refund);
    append(book, newId, { ...entry, kind: 'void', amount: left, grantId: refund.id });
  }
  assertBalanced(book);
}

/**
 * Gives credits back that a cycle's tiered units were charged above their price now (volume tiers:
 * the cycle reached a cheaper tier; a void of an earlier event settling the cycle's price): to the
 * grants drawn on that still live, latest drawn first (the reverse of the consumption order, each
 * up to what was drawn from it), then the debt, and only what neither takes as a refund grant
 * without expiry. Plan credits given back so lapse with their grant, as the credits they paid did.
 * Named with the event (kind `refund`, or `void` for a void's), so that a void of it takes it back.
 */
export function repriceDown(
  book: AccountBook,
  given: {
    amount: Money;
    eventId: string;
    occurredAt: Date;
    now: Date;
    kind?: 'refund' | 'void';
    description?: string;
    reference?: string | null;
    reason?: string | null;
  },
  newId: NewId,
): void {
  const { amount, eventId, occurredAt, now } = given;
  if (!amount.greaterThan(0)) return;
  const entry = {
    kind: given.kind ?? ('refund' as const),
    eventId,
    reference: given.reference ?? null,
    description: given.description ?? `Usage ${eventId} repriced the cycle's tiered units (a cheaper volume tier reached, or a price changed in the cycle)`,
    reason: given.reason ?? null,
    occurredAt,
  };
  let left = amount;
  const drawnOn = book.grants.filter((g) => g.remaining.lessThan(g.amount) && (g.expiresAt === null || g.expiresAt.getTime() > now.getTime()));
  for (const grant of drawnOn.sort(consumptionOrder).reverse()) {
    if (!left.greaterThan(0)) break;
    const back = minOf(left, grant.amount.minus(grant.remaining));
    grant.remaining = grant.remaining.plus(back);
    book.changedGrants.add(grant.id);
    append(book, newId, { ...entry, amount: back, grantId: grant.id });
    left = left.minus(back);
  }
  const repaid = minOf(left, book.account.debt);
  if (repaid.greaterThan(0)) {
    book.account.debt = book.account.debt.minus(repaid);
    append(book, newId, { ...entry, amount: repaid, grantId: null });
    left = left.minus(repaid);
  }
  if (left.greaterThan(0)) {
    const refund: Grant = { id: newId('grt'), kind: 'refund', priority: 0, grantedAt: now, expiresAt: null, amount: left, remaining: left };
    book.grants.push(refund);
    book.newGrants.push(refund);
    append(book, newId, { ...entry, amount: left, grantId: refund.id });
  }
  assertBalanced(book);
}

/**
 * An operator's credit, saying why: a grant of kind 'adjustment' that pays back any debt first, as
 * every credit does, and lapses at its expiry like a top-up.
 */
export function creditAdjustment(
  book: AccountBook,
  added: { grant: Omit<Grant, 'remaining' | 'kind'>; reference: string; reason: string },
  newId: NewId,
): LedgerEntry[] {
  const { grant, reference, reason } = added;
  return [credit(book, { grant: { ...grant, kind: 'adjustment' }, kind: 'adjustment', reference, reason, description: `Adjustment ${reference}` }, newId)];
}

/**
 * An operator's debit of `amount` (positive: what is taken), saying why: drawn from the grants in
 * consumption order as usage is, and what no grant covers becomes debt. How far a debit may go is
 * the caller's rule (planAdjustment: to zero and no further).
 */
export function debitAdjustment(
  book: AccountBook,
  taken: { amount: Money; reference: string; reason: string; occurredAt: Date; now: Date },
  newId: NewId,
): LedgerEntry[] {
  return draw(book, { ...taken, kind: 'adjustment', eventId: null, description: `Adjustment ${taken.reference}` }, newId);
}

/**
 * Takes credits back out of the grant that added them (a top-up whose invoice is voided or
 * credited): never more than the grant still holds; false, changing nothing, where it holds less.
 */
export function takeBackFromGrant(
  book: AccountBook,
  taken: { grantId: string; amount: Money; reference: string; description: string; reason: string; occurredAt: Date },
  newId: NewId,
): boolean {
  const { grantId, amount, ...entry } = taken;
  const grant = book.grants.find((g) => g.id === grantId);
  if (!grant || grant.remaining.lessThan(amount)) return false;
  if (!amount.greaterThan(0)) return true;
  grant.remaining = grant.remaining.minus(amount);
  book.changedGrants.add(grant.id);
  append(book, newId, { ...entry, kind: 'adjustment', amount: amount.negated(), grantId, eventId: null });
  assertBalanced(book);
  return true;
}

/** The invariant of every book; a violation is a bug, so it fails loudly instead of writing. */
export function assertBalanced(book: AccountBook): void {
  const expected = sum(book.grants.map((g) => g.remaining)).minus(book.account.debt);
  if (!expected.equals(book.account.balance) || book.account.debt.isNegative() || book.grants.some((g) => g.remaining.isNegative())) {
    throw new Error(`ledger invariant broken for ${book.account.id}: balance ${book.account.balance} != grants - debt ${expected}`);
  }
}

/** Everything a set of books must write: accounts, grants added and changed, ledger entries. */
export interface BookChanges {
  accounts: Account[];
  newGrants: { accountId: string; grant: Grant }[];
  changedGrants: { id: string; remaining: Money }[];
  ledger: LedgerEntry[];
}

export function changesOf(books: Iterable<AccountBook>): BookChanges {
  const changes: BookChanges = { accounts: [], newGrants: [], changedGrants: [], ledger: [] };
  for (const book of books) {
    changes.accounts.push(book.account);
    changes.newGrants.push(...book.newGrants.map((grant) => ({ accountId: book.account.id, grant })));
    const newIds = new Set(book.newGrants.map((g) => g.id));
    for (const grant of book.grants) {
      if (book.changedGrants.has(grant.id) && !newIds.has(grant.id)) changes.changedGrants.push({ id: grant.id, remaining: grant.remaining });
    }
    changes.ledger.push(...book.entries);
  }
  return changes;
}
