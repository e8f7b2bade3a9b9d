// Whether this process takes requests: ready once its store answers, not any more once it shuts
// down. /v1/ready reports it to the load balancer; every other route refuses while shutting down.
import { type Queryable, storeAnswers } from '../store/Database';

/** How long the store may take to answer a readiness check before it counts as down. */
const STORE_CHECK_MS = 2_000;

export type Readiness = { ready: true } | { ready: false; reason: 'shutting_down' | 'store_unavailable' };

export class Lifecycle {
  private stopping = false;

  constructor(private readonly db: Queryable) {}

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** From now on requests are refused and readiness fails; requests already running finish. */
  beginShutdown(): void {
    this.stopping = true;
  }

  /** Ready when not shutting down and the store answers within two seconds. */
  async readiness(): Promise<Readiness> {
    if (this.stopping) return { ready: false, reason: 'shutting_down' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), STORE_CHECK_MS);
    });
    const answered = storeAnswers(this.db).then(
      () => true,
      () => false,
    );
    const ok = await Promise.race([answered, timeout]);
    clearTimeout(timer);
    if (this.stopping) return { ready: false, reason: 'shutting_down' };
    return ok ? { ready: true } : { ready: false, reason: 'store_unavailable' };
  }
}
