// A job every server process runs on a timer: one run at a time (a tick that finds a run going
// joins it), failures logged rather than thrown, and a close that waits for the run in progress.
import type { Logger } from 'pino';

export abstract class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    protected readonly log: Logger,
    /** 0 turns the timer off: the job then runs only when `check` is called. */
    private readonly everyMs: number,
    /** What the log says failed. */
    private readonly what: string,
  ) {}

  /** One pass of the job's work. */
  protected abstract work(): Promise<void>;

  /** Starts the timer; `atOnce` runs a first pass now instead of one period from now. */
  start(atOnce = false): void {
    if (this.everyMs <= 0) return;
    if (atOnce) void this.check();
    this.timer = setInterval(() => void this.check(), this.everyMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a pass that starts after this call: one already running may have begun too early to see what was just written. */
  async checkAfresh(): Promise<void> {
    await this.running;
    await this.check();
  }

  /** Runs a pass now (or joins the one running); resolves when done. Tests call it directly. */
  check(): Promise<void> {
    this.running ??= this.work()
      .catch((error: unknown) => this.log.error({ err: error }, `${this.what} failed`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
