// Charges and decisions wait for an ended cycle's closing. Between a cycle's end and its closing the
// ended cycle's credits have lapsed and the next cycle's are not granted yet: usage charged then
// would draw on top-ups or become debt, and authorize would pause an account that is paid up. A
// write that finds an account's cycle due writes nothing, closes it, and runs again: this is the
// one place the rule lives. The closing is the server's work, not the request's: it runs outside
// the request's audit trail.
import { type AccountWrite, attemptWrite } from './AccountWrite';
import { DomainFailure } from '../domain/errors';
import { closeDueCycles, closeDueCyclesOf } from './closeCycles';
import type { Context } from './Context';
import { outsideTrails } from '../audit/RequestTrail';

/**
 * Runs the write, first closing the ended cycles of the accounts it locks. An account whose closing
 * is refused (its plan left the catalog) or does not take is passed over the next time: its usage
 * is charged as it stands rather than refused, and the closer keeps reporting the failure. A
 * closing the store failed (a lost connection) fails the write too: charged then, usage would draw
 * on a lapsed cycle, while the caller's retry finds the store back and the cycle closable.
 */
export async function writeAccounts<T>(context: Context, write: AccountWrite<T>): Promise<T> {
  const passOver = new Set<string>();
  const closed = new Set<string>();
  for (;;) {
    const attempt = await attemptWrite(context, write, { passOver });
    if ('written' in attempt) return attempt.written.answer;
    const fresh = attempt.due.filter((id) => !closed.has(id));
    for (const id of attempt.due) (closed.has(id) ? passOver : closed).add(id);
    for (const [id, failure] of await outsideTrails(() => closeDueCyclesOf(context, fresh))) {
      if (!refused(failure)) throw failure;
      passOver.add(id);
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
