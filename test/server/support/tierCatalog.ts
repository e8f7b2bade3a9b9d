// A small catalog for tests of tiered prices, account prices and plan availability, written to a
// temporary file so that test servers can load it like any catalog file. Prices in EUR, prepaid.
//   chat input tokens: graduated, up to 1,000 at 0.05, up to 10,000 at 0.04, then 0.03 per token
//   chat output tokens: volume, the same tiers
//   call seconds: 0.60 per 60 seconds, 1/1 increments (the plan 'discount' overrides it to 0.30)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Catalog, catalogSchema } from '../../../server/src/domain/catalog/Catalog';

export const TIERS = [{ upTo: 1000, amount: '0.05' }, { upTo: 10000, amount: '0.04' }, { amount: '0.03' }];

export const TIER_CATALOG = {
  name: 'tiers',
  balanceUnit: 'EUR',
  currency: 'EUR',
  services: [
    {
      code: 'chat_input',
      name: 'Chat input tokens',
      channel: 'ai_chat',
      event: 'chat',
      quantity: { type: 'field', field: 'input_tokens' },
      unit: 'token',
      price: { mode: 'graduated', tiers: TIERS },
    },
    {
      code: 'chat_output',
      name: 'Chat output tokens',
      channel: 'ai_chat',
      event: 'chat',
      quantity: { type: 'field', field: 'output_tokens' },
      unit: 'token',
      price: { mode: 'volume', tiers: TIERS },
    },
    {
      code: 'call_seconds',
      name: 'Call seconds',
      channel: 'voice',
      event: 'call',
      quantity: { type: 'duration', field: 'duration_seconds', increments: { first: 1, next: 1 } },
      unit: 'second',
      price: { amount: '0.60', per: 60 },
    },
  ],
  plans: [
    { code: 'payg', name: 'Pay as you go', billing: 'prepaid' },
    { code: 'discount', name: 'Discount', billing: 'prepaid', overrides: { call_seconds: { price: '0.30' } } },
    {
      code: 'included',
      name: 'Included tokens',
      billing: 'prepaid',
      allowances: [{ meter: 'input_tokens', unit: 'token', included: { month: 500, year: 6000 }, services: ['chat_input'] }],
    },
    { code: 'summer', name: 'Summer offer', billing: 'prepaid', available: { from: '2026-06-01', until: '2026-09-01' } },
    { code: 'dach', name: 'DACH only', billing: 'prepaid', available: { countries: ['DE', 'AT', 'CH'] } },
  ],
};

export function tierCatalog(change: (raw: typeof TIER_CATALOG) => void = () => {}): Catalog {
  const raw = structuredClone(TIER_CATALOG);
  change(raw);
  return catalogSchema.parse(raw);
}

/** The catalog as a file a test server loads (startTestServer's `catalog`). */
export function tierCatalogFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tiers-')), 'tiers.json');
  writeFileSync(file, JSON.stringify(TIER_CATALOG));
  return file;
}
