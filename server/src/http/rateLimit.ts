// Rate limits per caller (CREDITMETER_RATE_LIMIT): a token bucket per key that holds `burst`
// requests and refills at `perSecond`. A request past it is answered 429 with Retry-After before
// any route runs, so it writes nothing, and one caller's flood never spends another's tokens.
// A caller that keeps sending far past its limit has its refusals held back, up to a second, before
// they are answered: a client in a tight loop then slows to a few requests a second per connection
// instead of keeping the server busy refusing it, and the other callers' requests keep their pace.
import type { RequestHandler } from 'express';
import { callerOf } from './requestLog';
import { plainErrorBody } from './errorResponse';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Buckets not touched for this long are full again, and forgotten. */
const FORGET_AFTER_MS = 60_000;
/** The refusals counted for a key fade with this time constant: the count is about the refusals of the last second. */
const REFUSALS_FADE_MS = 1000;
/** Longest a refusal is held back before it is answered. */
export const MAX_HOLD_MS = 1000;
/** Most refusals held back at once, over all keys: past it they are answered at once. */
const MAX_HELD = 10_000;

interface Bucket {
  tokens: number;
  at: number;
  /** Refusals, fading with REFUSALS_FADE_MS: about how many a second the key is refused. */
  refused: number;
  refusedAt: number;
}

/** Token buckets by key; pure apart from the clock passed in. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = 0;

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for `key` at `nowMs`: 0 when taken, or how many ms until one is there. */
  take(key: string, nowMs: number): number {
    this.sweep(nowMs);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs, refused: 0, refusedAt: nowMs };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    bucket.refused = bucket.refused * Math.exp(-(nowMs - bucket.refusedAt) / REFUSALS_FADE_MS) + 1;
    bucket.refusedAt = nowMs;
    return Math.ceil(((1 - bucket.tokens) / this.limit.perSecond) * 1000);
  }

  /**
   * How long to hold back a refusal of `key` before answering it: half a second for each time its
   * refusals of the last second outnumber its limit a second, at most a second. A client a little
   * past its limit hears within milliseconds; one refused twice as often as its limit, a second
   * later, so that a flood of N connections settles near N requests a second.
   */
  holdMs(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    return Math.min(MAX_HOLD_MS, Math.floor((bucket.refused / this.limit.perSecond) * 500));
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
  let held = 0;
  return (_req, res, next) => {
    const key = callerOf(res) ?? 'anonymous';
    const waitMs = buckets.take(key, now());
    if (waitMs === 0) return next();
    const holdMs = held < MAX_HELD ? buckets.holdMs(key) : 0;
    const refuse = () => {
      const left = Math.max(0, waitMs - holdMs);
      res
        .status(429)
        .set('Retry-After', String(Math.max(1, Math.ceil(left / 1000))))
        .json(plainErrorBody('rate_limited', `Too many requests for this key: at most ${limit.perSecond} a second (bursts of ${limit.burst}); retry in ${left} ms.`));
    };
    if (holdMs === 0) return refuse();
    held++;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      held--;
      clearTimeout(timer);
      return true;
    };
    // A client that leaves while held frees its place at once.
    const timer = setTimeout(() => {
      if (settle() && !res.destroyed) refuse();
    }, holdMs);
    res.once('close', settle);
  };
}
