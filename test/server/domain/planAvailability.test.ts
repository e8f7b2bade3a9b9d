// Plan availability (seed 003, "plan not available"): a window from (inclusive) until (exclusive),
// and countries by the account's billing country, else its VAT id's.
import { catalogSchema, findPlan } from '../../../server/src/domain/catalog/Catalog';
import { accountCountry, availabilityRefusal } from '../../../server/src/domain/plan/availability';
import { tierCatalog } from '../support/tierCatalog';

const catalog = tierCatalog();
const summer = findPlan(catalog, 'summer')!;
const dach = findPlan(catalog, 'dach')!;
const at = (iso: string) => new Date(iso);

describe('plan availability', () => {
  test('the summer offer (2026-06-01 until 2026-09-01) is open from its first instant to just before its end', () => {
    expect(availabilityRefusal(summer, { at: at('2026-05-31T23:59:59Z'), country: 'DE' })?.field).toBe('available.from');
    expect(availabilityRefusal(summer, { at: at('2026-06-01T00:00:00Z'), country: 'DE' })).toBeUndefined();
    expect(availabilityRefusal(summer, { at: at('2026-08-31T23:59:59Z'), country: 'DE' })).toBeUndefined();
    expect(availabilityRefusal(summer, { at: at('2026-09-01T00:00:00Z'), country: 'DE' })?.field).toBe('available.until');
  });

  test('a plan for DE, AT and CH takes an Austrian account, refuses a French one and one without a country', () => {
    expect(availabilityRefusal(dach, { at: at('2026-03-01T00:00:00Z'), country: 'AT' })).toBeUndefined();
    expect(availabilityRefusal(dach, { at: at('2026-03-01T00:00:00Z'), country: 'FR' })?.message).toBe(
      "The plan 'dach' is available only to accounts in DE, AT, CH; this account's country is FR (available.countries).",
    );
    expect(availabilityRefusal(dach, { at: at('2026-03-01T00:00:00Z'), country: undefined })?.reason).toBe('plan_not_available');
  });

  test("the account's country is its billing country, else its VAT id's (EL is Greece)", () => {
    expect(accountCountry({ country: 'de', vatId: 'ATU12345678' })).toBe('DE');
    expect(accountCountry({ vatId: 'ATU12345678' })).toBe('AT');
    expect(accountCountry({ vatId: 'EL123456789' })).toBe('GR');
    expect(accountCountry({})).toBeUndefined();
  });

  test('a from that is no date, beside a valid until, is a catalog error naming available.from, not a failure', () => {
    for (const from of ['', ' ', 'x'.repeat(1000)]) {
      const parsed = catalogSchema.safeParse({
        name: 'acme',
        balanceUnit: 'credits',
        currency: 'EUR',
        services: [
          {
            code: 'chat_in',
            name: 'Chat in',
            channel: 'ai_chat',
            event: 'chat',
            quantity: { type: 'field', field: 'input_tokens' },
            unit: 'token',
            price: { amount: 40, per: 1000 },
          },
        ],
        plans: [{ code: 'payg', name: 'Pay as you go', billing: 'prepaid', available: { from, until: '2026-03-01T00:00:00Z' } }],
      });
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'))).toEqual(['plans.0.available.from']);
    }
  });

  test('a plan that says nothing is open to everyone, always', () => {
    expect(availabilityRefusal(findPlan(catalog, 'payg')!, { at: at('2030-01-01T00:00:00Z'), country: undefined })).toBeUndefined();
  });
});
