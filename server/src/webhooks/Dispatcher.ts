// Sends due webhook deliveries: claims attempts (so that no two processes send the same one),
// signs each request per Standard Webhooks, posts it with axios, and records what happened.
// Woken by the outbox's NOTIFY for prompt delivery and by a timer for retries and missed wake-ups.
import { webhookDeliveries } from '../metrics/metrics';
import axios from 'axios';
import type { Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import { delayAfterFailure } from '../domain/webhooks/retrySchedule';
import { webhookBody } from '../domain/webhooks/WebhookEvent';
import type { Database } from '../store/Database';
import { OUTBOX_CHANNEL } from '../store/outbox';
import { type AttemptOutcome, type ClaimedAttempt, claimDueAttempts, disableEndpoint, recordAttempt } from '../store/webhooks';
import type { Clock } from '../usecases/Context';
import type { WebhookTargetPolicy } from '../domain/webhooks/WebhookTarget';
import { assertSendable, guardedAgents, TargetRefused } from './targetGuard';

export interface DispatcherOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  /** Longest wait for a receiver's answer. */
  timeoutMs?: number;
  /** How often due retries are looked for without a wake-up. */
  pollMs?: number;
  random?: () => number;
  /** Which addresses may receive webhooks (link-local and metadata services never). */
  targets?: WebhookTargetPolicy;
}

/** Attempts sent at once by one process. */
const BATCH = 32;
/** Extra lease beyond the timeout (as a share of it), so that a slow but live sender is never overtaken. */
const LEASE_MARGIN = 0.5;
/**
 * Kept of a receiver's answer in the delivery log: enough to recognise an error page, too little
 * to read back what an internal service answered to a subscription pointed at it.
 */
const MAX_ANSWER_EXCERPT = 80;
/**
 * What the log says for every failure below HTTP: a refused connection, a reset and a timeout read
 * alike, so that the log cannot be used to scan which ports answer. The process log has the detail.
 */
const NO_RESPONSE = 'no HTTP response (the connection failed or timed out)';

export class Dispatcher {
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly random: () => number;
  private readonly targets: WebhookTargetPolicy;
  private readonly agents: ReturnType<typeof guardedAgents>;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.random = options.random ?? Math.random;
    this.targets = options.targets ?? 'private';
    this.agents = guardedAgents(this.targets);
  }

  async start(): Promise<void> {
    this.unlisten = await this.options.db.listen(OUTBOX_CHANNEL, {
      onMessage: () => this.wake(),
      onLost: () => undefined,
      onListening: () => this.wake(),
    });
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  /** Sends whatever is due now; resolves when nothing due is left (tests call it directly). */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const now = this.options.clock.now();
          const claimed = await claimDueAttempts(this.options.db, { now, leaseUntil: new Date(now.getTime() + this.timeoutMs * (1 + LEASE_MARGIN)), limit: BATCH });
          if (claimed.length === 0) break;
          await Promise.all(claimed.map((attempt) => this.send(attempt)));
          if (this.stopped) return;
        }
      } catch (error) {
        this.options.log.error({ err: error }, 'webhook dispatch failed; retrying on the next wake-up');
      }
    } while (this.again && !this.stopped);
  }

  private async send(claimed: ClaimedAttempt): Promise<void> {
    const body = webhookBody({ id: claimed.messageId, type: claimed.type, accountId: claimed.accountId, occurredAt: claimed.occurredAt, data: claimed.data });
    const startedAt = this.options.clock.now();
    const sentAt = new Date();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      assertSendable(claimed.url, this.targets);
      const signature = new Webhook(claimed.secret).sign(claimed.messageId, sentAt, body);
      const response = await axios.post(claimed.url, body, {
        ...this.agents,
        // Never through HTTP(S)_PROXY: a proxy would connect for us, past the agents' address check.
        proxy: false,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'creditmeter-webhooks',
          'webhook-id': claimed.messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        timeout: this.timeoutMs,
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
      });
      statusCode = response.status;
      if (statusCode < 200 || statusCode >= 300) error = answerExcerpt(statusCode, String(response.data ?? ''));
    } catch (failure) {
      // axios wraps what the agent's lookup threw.
      const refused = [failure, (failure as { cause?: unknown }).cause].find((f) => f instanceof TargetRefused);
      if (refused) {
        error = `target refused: ${(refused as TargetRefused).message}`;
      } else {
        this.options.log.warn({ err: failure, endpoint: claimed.endpointId }, 'webhook delivery got no HTTP response');
        error = NO_RESPONSE;
      }
    }
    const durationMs = performance.now() - started;
    const outcome: AttemptOutcome = { startedAt, durationMs, statusCode, error, next: this.next(claimed, statusCode, startedAt) };
    await recordAttempt(this.options.db, claimed, outcome);
    webhookDeliveries.inc({ outcome: outcome.next.status === 'pending' ? 'retrying' : outcome.next.status });
    if (statusCode === 410) await disableEndpoint(this.options.db, { id: claimed.endpointId, reason: 'gone (HTTP 410)', now: startedAt });
  }

  private next(claimed: ClaimedAttempt, statusCode: number | null, at: Date): AttemptOutcome['next'] {
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { status: 'succeeded' };
    if (statusCode === 410) return { status: 'failed' };
    const delay = delayAfterFailure(claimed.attempt, this.random());
    return delay === undefined ? { status: 'failed' } : { status: 'pending', at: new Date(at.getTime() + delay) };
  }
}

/** `HTTP 500: <the answer's start, on one line>`. */
function answerExcerpt(statusCode: number, answer: string): string {
  const line = answer.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  const excerpt = line.length > MAX_ANSWER_EXCERPT ? `${line.slice(0, MAX_ANSWER_EXCERPT)}…` : line;
  return excerpt ? `HTTP ${statusCode}: ${excerpt}` : `HTTP ${statusCode}`;
}
