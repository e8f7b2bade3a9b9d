// Which cycle usage is billed in, and when an account's open cycle waits for its closing. Usage is
// billed in the cycle it happened in while that cycle is open. Usage that arrives after its cycle
// was closed (its invoice issued, its credits lapsed) is billed in the open cycle: nothing is lost,
// and nothing lands on an invoice that is already out.
import type { Account } from '../account/Account';
import { type Cycle, cycleContaining } from './Cycle';

type CycleFacts = Pick<Account, 'anchor' | 'interval' | 'cycleStart'>;

/**
 * When usage that happened at `at` is billed: `at`, or the open cycle's start when `at` lies in a
 * closed cycle. Before the account's first closing nothing is late: usage dated before the account
 * was opened (history brought along) keeps its own time.
 */
export function billedAt(account: CycleFacts, at: Date): Date {
  return account.cycleStart !== null && at.getTime() < account.cycleStart.getTime() ? account.cycleStart : at;
}

/** The cycle usage that happened at `at` is billed in. */
export function billedCycle(account: CycleFacts, at: Date): Cycle {
  return cycleContaining(account.anchor, account.interval, billedAt(account, at));
}

/**
 * Whether the open cycle has ended and waits for its closing: until it closes, the next cycle's
 * credits are not granted and the ended one's have lapsed, so usage must not be charged in between.
 */
export function cycleDue(account: Pick<Account, 'cycleEnd' | 'endedAt'>, now: Date): boolean {
  return account.endedAt === null && account.cycleEnd !== null && account.cycleEnd.getTime() <= now.getTime();
}
