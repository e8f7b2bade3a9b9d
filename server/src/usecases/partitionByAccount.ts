// Splits a group of events into parts that share no account, of about equal size, so that the
// parts can be recorded in transactions running at once without waiting on each other's locks.
// Events of one account stay together and in order: later events must see earlier ones.
import type { UsageEvent } from '../domain/event/UsageEvent';

/** Indexes into `events`, one list per part, each in arrival order; at most `parts` lists, none empty. */
export function partitionByAccount(events: readonly Pick<UsageEvent, 'account'>[], parts: number): number[][] {
  const byAccount = new Map<string, number[]>();
  events.forEach((event, index) => {
    const own = byAccount.get(event.account);
    if (own) own.push(index);
    else byAccount.set(event.account, [index]);
  });
  const buckets = Array.from({ length: Math.max(1, Math.min(parts, byAccount.size)) }, () => [] as number[]);
  // Largest accounts first, each into the emptiest part: near-equal parts for any mix.
  for (const indexes of [...byAccount.values()].sort((a, b) => b.length - a.length)) {
    buckets.reduce((least, bucket) => (bucket.length < least.length ? bucket : least)).push(...indexes);
  }
  return buckets.map((bucket) => bucket.sort((a, b) => a - b));
}
