// Rate limits per caller (CREDITMETER_RATE_LIMIT): a token bucket per key that holds `burst`
// requests and refills at `perSecond`. A request past it is answered 429 with Retry-After before
// any route runs, so it writes nothing, and one caller's flood never spends another's tokens.
import type { RequestHandler } from 'express';
import { callerOf } from './requestLog';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Buckets not touched for this long are full again, and forgotten. */
const FORGET_AFTER_MS = 60_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by key; pure apart from the clock passed in. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = 0;

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for `key` at `nowMs`: 0 when taken, or how many ms until one is there. */
  take(key: string, nowMs: number): number {
    this.sweep(nowMs);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.limit.perSecond) * 1000);
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.sweptAt < FORGET_AFTER_MS) return;
    this.sweptAt = nowMs;
    for (const [key, bucket] of this.buckets) if (nowMs - bucket.at >= FORGET_AFTER_MS) this.buckets.delete(key);
  }
}

/** After authentication: the caller is known. None when no limit is configured. */
export function rateLimited(limit: RateLimit | undefined, now: () => number = () => performance.now()): RequestHandler {
  if (!limit) return (_req, _res, next) => next();
  const buckets = new TokenBuckets(limit);
  return (_req, res, next) => {
    const waitMs = buckets.take(callerOf(res) ?? 'anonymous', now());
    if (waitMs === 0) return next();
    res
      .status(429)
      .set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))))
      .json({ error: { code: 'rate_limited', message: `Too many requests for this key: at most ${limit.perSecond} a second (bursts of ${limit.burst}); retry in ${waitMs} ms.` } });
  };
}
