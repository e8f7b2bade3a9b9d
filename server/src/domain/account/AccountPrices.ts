// An account's own prices (seed 003, "custom pricing"): per service, a price in any form the catalog
// accepts and, for durations, billing increments. They beat the plan's override and the catalog's
// price for events rated from the moment they are set; kept as the JSON the API takes and answers.
import { z } from 'zod';
import {
  type Catalog,
  type Increments,
  incrementsSchema,
  isTiered,
  type PriceAmount,
  type ServicePrice,
  servicePrice,
  servicePriceForms,
} from '../catalog/Catalog';
import { decimalString, Money } from '../money';

export interface AccountPrice {
  price: ServicePrice;
  increments?: Increments;
}

/** By service code. */
export type AccountPrices = Readonly<Record<string, AccountPrice>>;

/** Most services one account may price on its own: as many as a catalog may hold (MAX_CATALOG_ENTRIES), and the column stays small. */
export const MAX_ACCOUNT_PRICES = 500;

const serviceCode = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a service code of the catalog');

/** The body of PUT /v1/accounts/:id/prices, before the catalog checks its codes. */
export const accountPricesInput = z.strictObject({
  services: z
    .record(serviceCode, z.strictObject({ price: servicePrice, increments: incrementsSchema.optional() }))
    .refine((services) => Object.keys(services).length <= MAX_ACCOUNT_PRICES, `at most ${MAX_ACCOUNT_PRICES} services`),
});

/** The same body for the API's document, its prices in the two forms they take. */
export const accountPricesDocument = z.strictObject({
  services: z.record(serviceCode, z.strictObject({ price: servicePriceForms, increments: incrementsSchema.optional() })),
});

/** What the catalog says against the prices: unknown services, increments for a quantity that is no duration. */
export function accountPriceIssues(catalog: Pick<Catalog, 'services'>, prices: AccountPrices): { path: string; message: string }[] {
  return Object.entries(prices).flatMap(([code, price]) => {
    const service = catalog.services.find((s) => s.code === code);
    if (!service) return [{ path: `services.${code}`, message: `is no service of the catalog` }];
    if (price.increments && service.quantity.type !== 'duration') {
      return [{ path: `services.${code}.increments`, message: 'apply only to services priced by duration' }];
    }
    return [];
  });
}

const amountJson = (amount: PriceAmount) =>
  Money.isDecimal(amount) ? decimalString(amount) : { month: decimalString(amount.month), year: decimalString(amount.year) };

/** A price in the JSON form the catalog and the API take: decimals as strings. */
export function servicePriceToJson(price: ServicePrice): unknown {
  if (!isTiered(price)) return { amount: amountJson(price.amount), per: price.per };
  return {
    mode: price.mode,
    tiers: price.tiers.map((t) => ({ ...(t.upTo !== undefined ? { upTo: decimalString(t.upTo) } : {}), amount: amountJson(t.amount), per: t.per })),
  };
}

export function accountPricesToJson(prices: AccountPrices): Record<string, { price: unknown; increments?: Increments }> {
  return Object.fromEntries(
    Object.entries(prices).map(([code, p]) => [code, { price: servicePriceToJson(p.price), ...(p.increments ? { increments: p.increments } : {}) }]),
  );
}

const storedEntry = z.object({ price: servicePrice, increments: incrementsSchema.optional() });

/**
 * The stored JSON read back, entry by entry: an entry that no longer parses (never written so) is
 * left out and named in `unreadable`, so that the caller says so; the account's other prices stand.
 */
export function accountPricesFromJson(json: unknown): { prices: AccountPrices; unreadable: { service: string; message: string }[] } {
  if (json === null || json === undefined || typeof json !== 'object' || Array.isArray(json)) {
    return { prices: {}, unreadable: json === null || json === undefined ? [] : [{ service: '*', message: 'the stored prices are no object' }] };
  }
  const prices: Record<string, AccountPrice> = {};
  const unreadable: { service: string; message: string }[] = [];
  for (const [service, entry] of Object.entries(json)) {
    const parsed = storedEntry.safeParse(entry);
    if (parsed.success) prices[service] = parsed.data as AccountPrice;
    else unreadable.push({ service, message: parsed.error.issues.map((i) => `${[service, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ') });
  }
  return { prices, unreadable };
}
