// Golden numbers of DOMAIN.md model 1 (minutes with included allowance), written out by hand.
import { rater } from '../support/rating';

describe('model 1: minutes with an included allowance', () => {
  test('a 90-second call is billed as 1.5 minutes of the included minutes', () => {
    const rating = rater('minutes', 'starter').rate('call', { duration_seconds: 90, answered: true });
    if (!rating.ok) throw new Error(rating.error.message);
    const minutes = rating.charges.find((c) => c.service === 'call_minutes')!;
    expect(minutes.billedQuantity.toFixed()).toBe('90');
    expect(minutes.allowance?.usedInMeterUnits.toFixed()).toBe('1.5');
    expect(rating.cost.toFixed()).toBe('0');
  });
  test('on 30/30 increments (business) a 61-second call uses 1.5 included minutes', () => {
    const rating = rater('minutes', 'business').rate('call', { duration_seconds: 61, answered: true });
    if (!rating.ok) throw new Error(rating.error.message);
    const minutes = rating.charges.find((c) => c.service === 'call_minutes')!;
    expect(minutes.billedQuantity.toFixed()).toBe('90');
    expect(minutes.allowance?.usedInMeterUnits.toFixed()).toBe('1.5');
  });
  test('starter bills to the second: a 61-second call uses 61 seconds', () => {
    const rating = rater('minutes', 'starter').rate('call', { duration_seconds: 61, answered: true });
    expect(rating.ok && rating.charges[0]!.billedQuantity.toFixed()).toBe('61');
  });
  test('included minutes are used first; beyond the 500 every extra minute is pay-as-you-go', () => {
    const starter = rater('minutes', 'starter');
    starter.used('minutes', 499 * 60);
    const rating = starter.rate('call', { duration_seconds: 120, answered: true });
    if (!rating.ok) throw new Error(rating.error.message);
    const minutes = rating.charges.find((c) => c.service === 'call_minutes')!;
    expect(minutes.allowance?.usedInMeterUnits.toFixed()).toBe('1');
    expect(minutes.chargeableQuantity.toFixed()).toBe('60');
    expect(rating.cost.toFixed()).toBe('0.12');
  });
  test('pay as you go has no included minutes: a 90-second call costs 1.5 x 0.15 = 0.225 EUR', () => {
    expect(rater('minutes', 'payg').cost('call', { duration_seconds: 90, answered: true })).toBe('0.225');
  });
  test('an unanswered call costs nothing and uses no minutes', () => {
    const rating = rater('minutes', 'starter').rate('call', { duration_seconds: 40, answered: false });
    expect(rating.ok && rating.allowanceDraws).toEqual([]);
    expect(rating.ok && rating.cost.toFixed()).toBe('0');
  });
  test('a carrier surcharge applies per minute to calls to listed destination countries', () => {
    expect(rater('minutes', 'payg').cost('call', { duration_seconds: 60, answered: true, destination_country: 'CH' })).toBe('0.18');
    expect(rater('minutes', 'payg').cost('call', { duration_seconds: 60, answered: true, destination_country: 'DE' })).toBe('0.15');
  });
});
