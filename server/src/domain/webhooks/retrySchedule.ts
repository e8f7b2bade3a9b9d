// When a failed webhook delivery is tried again: quickly at first, then spread over about three
// days, each wait varied by up to a fifth so that a recovering receiver is not hit all at once.

/** Waits before attempts 2, 3, ...: 5 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, 24 h. */
export const RETRY_DELAYS_MS = [5e3, 60e3, 300e3, 1_800e3, 7_200e3, 21_600e3, 43_200e3, 86_400e3, 86_400e3] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
const JITTER = 0.2;

/**
 * The wait after the `attempt`-th attempt failed (1-based), or undefined when it was the last.
 * `random` is a number in [0, 1), injected so that tests and the domain stay deterministic.
 */
export function delayAfterFailure(attempt: number, random: number): number | undefined {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}
