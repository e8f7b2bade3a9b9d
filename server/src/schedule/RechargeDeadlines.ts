// Fails recharge requests that got no top-up in time, reports each (recharge.failed) and lets the
// third failure in a row switch auto-recharge off. Runs on a timer in every server process; the
// claim (SKIP LOCKED) makes each request fail once.
import type { Logger } from 'pino';
import { accountLinks } from '../domain/alerts/accountSignals';
import { MAX_FAILURES } from '../domain/recharge/AutoRecharge';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addOutboxWrites } from '../store/outbox';
import { failOverdueRequests } from '../store/recharge';
import { Writes } from '../store/Writes';
import { writeAsIs } from '../usecases/AccountWrite';
import { PeriodicJob } from './PeriodicJob';
import type { Context } from '../usecases/Context';

const BATCH = 100;

export class RechargeDeadlines extends PeriodicJob {
  constructor(
    private readonly context: Context,
    log: Logger,
    everyMs = 1000,
  ) {
    super(log, everyMs, 'recharge deadline check');
  }

  /** Fails what is overdue now. */
  protected work(): Promise<void> {
    return this.failOverdue();
  }

  private async failOverdue(): Promise<void> {
    for (;;) {
      const count = await writeAsIs(this.context, {
        accounts: [],
        run: async ({ tx, now }) => {
          const failed = await failOverdueRequests(tx, now, BATCH);
          const messages = failed.map((f) =>
            webhookMessage('recharge.failed', { accountId: f.account_id, occurredAt: now, newId: this.context.newId }, {
              account: f.account_id,
              request: f.id,
              reference: f.reference,
              amount: f.amount,
              reason: 'no_topup_in_time',
              failuresInARow: f.failures,
              autoRechargeDisabled: !f.enabled,
              // Left out of the JSON when undefined; written as a key, so the compiler checks its name.
              message: f.enabled ? undefined : `Auto-recharge is off: ${MAX_FAILURES} requests in a row got no top-up.`,
              links: accountLinks(f.account_id),
            }),
          );
          return { answer: failed.length, writes: addOutboxWrites(new Writes(), messages, now) };
        },
      });
      if (count < BATCH) return;
    }
  }
}
