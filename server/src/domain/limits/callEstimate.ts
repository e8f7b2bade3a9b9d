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
 * The longest call, in whole seconds up to the longest accepted (a day), whose estimated cost
 * `affordable` accepts. Cost only grows with duration, so a binary search over the seconds finds it
 * with the rating itself: increments, allowances and surcharges all count as they will when charged.
 */
export function longestAffordableCall(data: EventData, costOf: (data: EventData) => Money | undefined, affordable: (cost: Money) => boolean): number {
  const fits = (seconds: number) => {
    const cost = costOf({ ...data, duration_seconds: seconds });
    return cost !== undefined && affordable(cost);
  };
  if (!fits(0)) return 0;
  if (fits(MAX_DURATION_SECONDS)) return MAX_DURATION_SECONDS;
  let low = 0;
  let high = MAX_DURATION_SECONDS;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}
