// Billing increments for durations: `first/next` in seconds (1/1 per second, 30/30, 60/1, ...).
import type { Increments } from '../catalog/Catalog';

/**
 * Seconds billed for a call: 0 if unanswered; `first` if the call lasted at most `first`
 * seconds; else first + ceil((d - first) / next) * next, with d rounded up to whole seconds.
 */
export function billedSeconds(durationSeconds: number, increments: Increments, answered: boolean): number {
  if (!answered) return 0;
  const wholeSeconds = Math.ceil(durationSeconds);
  if (wholeSeconds <= increments.first) return increments.first;
  const extraIncrements = Math.ceil((wholeSeconds - increments.first) / increments.next);
  return increments.first + extraIncrements * increments.next;
}
