// Charges and decisions wait for an ended cycle's closing. Between a cycle's end and its closing the
// ended cycle's credits have lapsed and the next cycle's are not granted yet: usage charged then
// would draw on top-ups or become debt, and authorize would pause an account that is paid up. A
// writer that finds an account's cycle due rolls back, closes it, and runs again. The closing is
// the server's work, not the request's: it runs outside the request's audit trail.
import type { Account } from '../domain/account/Account';
import { cycleDue } from '../domain/cycle/BilledCycle';
import { DomainFailure } from '../domain/errors';
import { closeDueCycles, closeDueCyclesOf } from './closeCycles';
import type { Context } from './Context';
import { outsideTrails } from '../audit/RequestTrail';

/** Thrown inside a transaction that found accounts whose cycle must close first; it wrote nothing. */
export class CyclesDue extends Error {
  constructor(readonly accountIds: string[]) {
    super(`cycles due for ${accountIds.join(', ')}`);
  }
}

/** Throws CyclesDue when any of the accounts (but those in `unclosable`) waits for its closing. */
export function assertNoCycleDue(accounts: Iterable<Account>, now: Date, unclosable: ReadonlySet<string>): void {
  const due: string[] = [];
  for (const account of accounts) if (cycleDue(account, now) && !unclosable.has(account.id)) due.push(account.id);
  if (due.length > 0) throw new CyclesDue(due);
}

/**
 * Runs `write`, and again after closing the cycles it found due. An account whose closing is refused
 * (its plan left the catalog) or does not take is passed over the next time, in `unclosable`: its
 * usage is charged as it stands rather than refused, and the closer keeps reporting the failure. A
 * closing the store failed (a lost connection) fails the write too: charged then, usage would draw
 * on a lapsed cycle, while the caller's retry finds the store back and the cycle closable.
 */
export async function withCyclesClosed<T>(context: Context, write: (unclosable: ReadonlySet<string>) => Promise<T>): Promise<T> {
  const unclosable = new Set<string>();
  const closed = new Set<string>();
  for (;;) {
    try {
      return await write(unclosable);
    } catch (error) {
      if (!(error instanceof CyclesDue)) throw error;
      const fresh = error.accountIds.filter((id) => !closed.has(id));
      for (const id of error.accountIds) (closed.has(id) ? unclosable : closed).add(id);
      for (const [id, failure] of await outsideTrails(() => closeDueCyclesOf(context, fresh))) {
        if (!refused(failure)) throw failure;
        unclosable.add(id);
      }
    }
  }
}

/**
 * Closes the account's due cycles before a read answers, so that a paid-up account does not read
 * as paused. As for writers, a refused closing lets the read answer from the account as it stands,
 * and a closing the store failed fails the read.
 */
export async function closeBeforeReading(context: Context, accountId: string): Promise<void> {
  await outsideTrails(() => closeDueCycles(context, accountId)).catch((failure: unknown) => {
    if (!refused(failure)) throw failure;
  });
}

/** A closing the domain refused (the plan left the catalog), not one the store failed. */
function refused(failure: unknown): boolean {
  return failure instanceof DomainFailure;
}
