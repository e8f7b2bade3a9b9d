// Closes the cycles that have ended, on a timer in every server process, so that no external cron
// is needed. Any number of processes may run it: each closing takes the account's lock and commits
// once (see usecases/closeCycles).
import type { Logger } from 'pino';
import { cycleContaining } from '../domain/cycle/Cycle';
import { readAccountsWithoutCycleEnd, readDueAccounts, setCycleEnd } from '../store/cycles';
import { closeDueCyclesOf } from '../usecases/closeCycles';
import type { Context } from '../usecases/Context';
import { PeriodicJob } from './PeriodicJob';

const BATCH = 100;
export const DEFAULT_CYCLE_CHECK_MS = 5000;

export class CycleCloser extends PeriodicJob {
  constructor(
    private readonly context: Context,
    log: Logger,
    /** 0 turns the timer off (tests close on demand). */
    everyMs = DEFAULT_CYCLE_CHECK_MS,
  ) {
    super(log, everyMs, 'cycle closing');
  }

  /** Closes what is due now. */
  protected work(): Promise<void> {
    return this.closeDue();
  }

  private async closeDue(): Promise<void> {
    // Accounts opened before cycles were closed learn their first cycle's end.
    for (const account of await readAccountsWithoutCycleEnd(this.context.db, BATCH)) {
      await setCycleEnd(this.context.db, account.id, cycleContaining(account.anchor, account.interval, account.createdAt).end);
    }
    for (;;) {
      const due = await readDueAccounts(this.context.db, this.context.clock.now(), BATCH);
      let closedAny = false;
      // One account that cannot close (its plan left the catalog) must not hold up the others.
      const failures = await closeDueCyclesOf(this.context, due, () => (closedAny = true));
      for (const [id, error] of failures) this.log.error({ err: error, account: id }, 'closing a cycle failed');
      // A full batch of accounts that all failed would come back at once: wait for the next tick.
      if (due.length < BATCH || !closedAny) return;
    }
  }
}
