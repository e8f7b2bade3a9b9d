// Which two capital letters name a country: the ISO 3166-1 alpha-2 codes, read from the region names
// Intl (CLDR) knows, less the regions CLDR names that ISO 3166-1 does not assign, and Kosovo's XK,
// the user-assigned code banks, the EU and CLDR use. Checked wherever a country is entered (an
// account's billing country, a rented number's, the catalog's), so that the e-invoice never meets a
// country the standard's code list lacks.
import { z } from 'zod';

/**
 * Two-letter regions CLDR names but ISO 3166-1 does not assign as countries: the exceptionally
 * reserved AC, CP, CQ, DG, EA, IC, TA, the European Union and euro area (EU, EZ), the United
 * Nations (UN), outlying Oceania (QO), the pseudo-locales XA and XB, and the unknown region ZZ.
 */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

/** Every country code accepted, built once from Intl: a code it cannot name (QQ) is none. */
export const COUNTRY_CODES: ReadonlySet<string> = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const codes = new Set<string>();
  for (let a = 65; a <= 90; a += 1)
    for (let b = 65; b <= 90; b += 1) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code) || names.of(code) === code) continue;
      // Deprecated codes (FX, metropolitan France) name their successor's country: only a code that stands for itself counts.
      if (new Intl.Locale(`und-${code}`).maximize().region !== code) continue;
      codes.add(code);
    }
  return codes;
})();

export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code);
}

const COUNTRY_MESSAGE = 'must be an ISO 3166-1 country code such as DE';

/** A country as the API and the catalog take it: an ISO 3166-1 alpha-2 code, in capitals. */
export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, COUNTRY_MESSAGE)
  .refine((code) => isCountryCode(code), COUNTRY_MESSAGE);
