// The one shape of a change: under the locks of the accounts it touches, taken in a stable order, a
// writer reads through store modules, decides, and hands back its answer with the writes it decided;
// the writes run, the transaction commits, and the snapshots hear which accounts changed. Use cases
// never open a transaction themselves: writeAccounts (which closes due cycles first) or writeAsIs
// runs it.
import type { Account } from '../domain/account/Account';
import { cycleDue } from '../domain/cycle/BilledCycle';
import { DomainFailure, notFound } from '../domain/errors';
import { lockAccounts } from '../store/accounts';
import type { Queryable } from '../store/Database';
import type { Writes } from '../store/Writes';
import type { Context } from './Context';
import { changesNothing } from '../audit/RequestTrail';
import type { AccountRecord } from '../domain/account/AccountRecord';

export interface WriteScope {
  /** For store modules' reads and writes. */
  tx: Queryable;
  /** The locked accounts that exist. */
  accounts: ReadonlyMap<string, Account>;
  now: Date;
}

export interface Written<T> {
  answer: T;
  /** What the decision writes: run before the commit. */
  writes?: Writes;
  /**
   * Accounts whose snapshot the change made stale: this process forgets them before it answers;
   * other processes hear of them by NOTIFY (the accounts table's trigger, or the writes' own).
   */
  changed?: readonly string[];
  /**
   * Changed accounts' records as the change leaves them, worked out by the writer under its locks
   * (when the notices stood at `since`): remembered at commit instead of forgotten, where it knows
   * them. Its NOTIFY names the writer (AccountSnapshots.origin), so that it does not undo them.
   */
  current?: { records: ReadonlyMap<string, AccountRecord>; since: number };
}

export interface AccountWrite<T> {
  /** The accounts to lock, in any order; none for a change no account's lock guards. */
  accounts: readonly string[];
  /** `skip`: accounts that do not exist are left out (a batch rejects their events alone); otherwise the write is not_found. */
  missing?: 'fail' | 'skip';
  run(scope: WriteScope): Promise<Written<T>>;
}

/** What one attempt came to: written, or the accounts whose ended cycle must close first (nothing was written). */
export type Attempt<T> = { written: Written<T> } | { due: string[] };

/**
 * One attempt at the write. With `dueFirst`, it stops at accounts whose ended cycle must close first,
 * but those it passes over (their closing cannot take).
 */
export async function attemptWrite<T>(context: Context, write: AccountWrite<T>, dueFirst: { passOver: ReadonlySet<string> } | undefined): Promise<Attempt<T>> {
  const attempt = await context.db
    .transaction(async (tx): Promise<Attempt<T>> => {
      const accounts = write.accounts.length === 0 ? new Map<string, Account>() : await lockAccounts(tx, write.accounts);
      // Read under the locks: a closing that committed before them is seen, with the time after it.
      const now = context.clock.now();
      if (write.missing !== 'skip') {
        const missing = write.accounts.find((id) => !accounts.has(id));
        if (missing !== undefined) throw new DomainFailure(notFound('account', missing));
      }
      if (dueFirst) {
        const due = [...accounts.values()].filter((a) => cycleDue(a, now) && !dueFirst.passOver.has(a.id)).map((a) => a.id);
        if (due.length > 0) {
          // Nothing is written: the request's audit row waits for the attempt that writes.
          changesNothing();
          return { due };
        }
      }
      const written = await write.run({ tx, accounts, now });
      await written.writes?.run(tx);
      return { written };
    })
    .catch((error: unknown) => {
      // A commit whose answer was lost may have taken: what this process remembers of them may be stale.
      if (!(error instanceof DomainFailure)) context.snapshots.changed(write.accounts);
      throw error;
    });
  if ('written' in attempt && attempt.written.changed && attempt.written.changed.length > 0) {
    context.snapshots.changed(attempt.written.changed, attempt.written.current);
  }
  return attempt;
}

/**
 * Runs a write that charges nothing and decides nothing on the open cycle (giving a hold back,
 * cancelling, the closing itself): it needs no ended cycle closed first.
 */
export async function writeAsIs<T>(context: Context, write: AccountWrite<T>): Promise<T> {
  const attempt = await attemptWrite(context, write, undefined);
  if (!('written' in attempt)) throw new Error('a write without closing came back with cycles due');
  return attempt.written.answer;
}
