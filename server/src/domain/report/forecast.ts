// The running cycle's cost so far and a forecast to its end, from the cycle's own run rate.
import { type Cycle, periodJson } from '../cycle/Cycle';
import { decimalString, type Money, money } from '../money';

const DAY_MS = 24 * 60 * 60 * 1000;

export const FORECAST_METHOD =
  'linear run rate: the usage cost so far divided by the time elapsed in the cycle, times the whole cycle length, plus the recurring fees charged so far (number rents), which do not grow with time';

/** `usageSoFar` follows the run rate; `feesSoFar` (a number's rent) is counted once as it is. */
export function forecastCycle({ cycle, now, usageSoFar, feesSoFar = money(0) }: { cycle: Cycle; now: Date; usageSoFar: Money; feesSoFar?: Money }) {
  const length = cycle.end.getTime() - cycle.start.getTime();
  const elapsed = Math.min(Math.max(now.getTime() - cycle.start.getTime(), 0), length);
  // Before an hour has passed the rate says nothing yet: the forecast is what is known.
  const knowsRate = elapsed >= 60 * 60 * 1000;
  const perDay = knowsRate ? usageSoFar.times(DAY_MS).dividedBy(elapsed) : money(0);
  const usage = knowsRate ? usageSoFar.times(length).dividedBy(elapsed) : usageSoFar;
  return {
    cycle: periodJson(cycle),
    asOf: now.toISOString(),
    elapsed: money(elapsed).dividedBy(length).toDecimalPlaces(4).toFixed(),
    costSoFar: decimalString(usageSoFar.plus(feesSoFar)),
    usageSoFar: decimalString(usageSoFar),
    feesSoFar: decimalString(feesSoFar),
    runRatePerDay: perDay.toDecimalPlaces(2).toFixed(2),
    forecast: usage.plus(feesSoFar).toDecimalPlaces(2).toFixed(2),
    method: knowsRate ? FORECAST_METHOD : 'less than an hour of the cycle has passed: the forecast is the cost so far',
  };
}
