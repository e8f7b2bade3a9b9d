// Waiting in tests: poll a condition until it holds, with a deadline, never sleep a fixed time and
// then assert. A test that checks something did not happen waits for a positive condition that
// comes after it (the delivery that must arrive, the store's rows in their final state) instead.
import { inspect } from 'node:util';

export interface WaitOptions<T> {
  /** What is awaited, for the failure: "the rollup increments to be folded". */
  message: string;
  /** Longest wait; the condition is checked once more at the deadline. */
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** When the probed value is the awaited one; without it, when the value is truthy. */
  until?: (value: T) => boolean;
  /** What of the last value the failure shows; the whole value without it. */
  show?: (value: T) => unknown;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_INTERVAL_MS = 10;

/**
 * Runs `probe` (sync or async) every few ms until its value holds (`until`, or truthy) and returns
 * that value. Past the deadline it throws, naming what was awaited and the last value seen. An
 * error thrown by the probe is not retried: it fails the wait at once.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitOptions<T>): Promise<T> {
  const holds = options.until ?? ((value: T) => Boolean(value));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (holds(value)) return value;
    if (Date.now() >= deadline) {
      const last = inspect(options.show ? options.show(value) : value, { depth: 6, breakLength: Infinity, maxArrayLength: 50, maxStringLength: 2000 });
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.message}; last seen: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
