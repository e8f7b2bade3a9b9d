// What a call is expected to use before it has happened. A voice minute uses AI tokens as well as
// connection time (DOMAIN.md model 2: 800 to 1,500 tokens a minute, in and out together), so an
// estimate that names only a duration counts its tokens at the catalog's typical rate; and the
// longest call an account can pay is found from the very rating that will charge it.
import type { Catalog } from '../catalog/Catalog';
import type { EventData } from '../event/UsageEvent';
import { MAX_DURATION_SECONDS } from '../event/UsageEvent';
import type { Money } from '../money';

/** The token fields a call's estimate may leave out, counted per minute of call by the catalog. */
export const CALL_TOKEN_FIELDS = ['input_tokens', 'output_tokens'] as const;

/**
 * The call estimate with the tokens it leaves out counted at the catalog's typical rate per minute
 * (rounded up to whole tokens); as given when it names them, or names no duration.
 */
export function withEstimatedTokens(catalog: Pick<Catalog, 'estimates'>, data: EventData): EventData {
  const perMinute = catalog.estimates.call?.tokensPerMinute;
  const seconds = data['duration_seconds'];
  if (!perMinute || typeof seconds !== 'number') return data;
  const filled: EventData = { ...data };
  for (const field of CALL_TOKEN_FIELDS) {
    if (typeof filled[field] !== 'number') filled[field] = Math.ceil((seconds * perMinute[field]) / 60);
  }
  return filled;
}

/**
 * The longest call, in whole seconds up to the longest accepted (a day), whose estimated cost the
 * account can pay: free or covered usage always, anything else within `available`. Cost only grows
 * with duration, so a search over the seconds finds it with the rating itself: increments,
 * allowances and surcharges count as they will when charged. It starts from the average cost per
 * second of a day-long call and gallops to bracket the answer, so a call priced by the second is
 * settled in four or five ratings instead of the seventeen of a plain binary search: authorize is
 * on every call's path.
 */
export function longestAffordableCall(data: EventData, costOf: (data: EventData) => Money | undefined, available: Money): number {
  const affordable = (cost: Money | undefined) => cost !== undefined && (cost.isZero() || cost.lessThanOrEqualTo(available));
  const fits = (seconds: number) => affordable(costOf({ ...data, duration_seconds: seconds }));
  if (!fits(0)) return 0;
  const longest = costOf({ ...data, duration_seconds: MAX_DURATION_SECONDS });
  if (affordable(longest)) return MAX_DURATION_SECONDS;
  const perSecond = longest?.dividedBy(MAX_DURATION_SECONDS);
  const estimate = perSecond?.greaterThan(0) ? available.dividedBy(perSecond).floor().toNumber() : MAX_DURATION_SECONDS / 2;
  const guess = Math.min(Math.max(estimate, 1), MAX_DURATION_SECONDS - 1);
  // fits(low) holds and fits(high) does not, once bracketed.
  let low: number;
  let high: number;
  let step = 1;
  if (fits(guess)) {
    low = guess;
    high = Math.min(low + step, MAX_DURATION_SECONDS);
    while (fits(high)) {
      low = high;
      step *= 2;
      high = Math.min(low + step, MAX_DURATION_SECONDS);
    }
  } else {
    high = guess;
    low = Math.max(high - step, 0);
    while (!fits(low)) {
      high = low;
      step *= 2;
      low = Math.max(high - step, 0);
    }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}
