// Folds waiting rollup increments into the report tables, on a timer in every server process. One
// fold runs at a time across all processes (an advisory lock; a process that finds it taken skips
// its turn), and each fold is one transaction, so an increment is folded once or, on a crash, not
// at all and by the next fold.
import { rollupLastFold } from '../metrics/metrics';
import type { Logger } from 'pino';
import type { Database } from '../store/Database';
import { foldRollupsOnce } from '../store/rollups';
import { PeriodicJob } from './PeriodicJob';

export const DEFAULT_ROLLUP_FOLD_MS = 2000;

export class RollupFolder extends PeriodicJob {
  constructor(
    private readonly db: Database,
    log: Logger,
    /** 0 turns the timer off (tests fold on demand). */
    everyMs = DEFAULT_ROLLUP_FOLD_MS,
  ) {
    super(log, everyMs, 'folding rollups');
  }

  protected async work(): Promise<void> {
    await foldRollupsOnce(this.db);
    rollupLastFold.setToCurrentTime();
  }
}
