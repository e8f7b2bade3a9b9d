// When a top-up without its own expiry lapses. The seeds carry a top-up over one more month, then it
// expires, for yearly customers too: months are counted from the account's anchor day (an anchor
// on the 31st ends February on its last day), never by the billing interval.
import { cycleContaining } from '../cycle/Cycle';

export const TOP_UP_EXPIRY_RULES = ['never', 'end_of_next_month'] as const;
export type TopUpExpiryRule = (typeof TOP_UP_EXPIRY_RULES)[number];

export function topUpExpiry(rule: TopUpExpiryRule, anchor: Date, boughtAt: Date): Date | null {
  if (rule === 'never') return null;
  const month = cycleContaining(anchor, 'month', boughtAt);
  return cycleContaining(anchor, 'month', month.end).end;
}
