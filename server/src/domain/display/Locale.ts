// Which language and time zone a customer reads: an account's `locale` (BCP 47, German or English
// in any region) and `timeZone` (IANA), checked by Intl itself, so that what is accepted is what
// the formatters can use.

/** The languages the customer-facing texts are written in (see texts/). */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How a customer's documents, dashboard and explanations read. */
export interface DisplaySettings {
  /** BCP 47, e.g. de-DE or en-GB. */
  locale: string;
  /** IANA, e.g. Europe/Berlin or UTC. */
  timeZone: string;
  /** How many fraction digits amounts in sentences show (the catalog's display precision of their unit); at most four when not given. */
  decimals?: number;
}

/** What an account gets when neither it nor the catalog says otherwise: the texts as they read before locales. */
export const DEFAULT_DISPLAY: DisplaySettings = { locale: 'en-GB', timeZone: 'UTC' };

/**
 * The locale in its canonical spelling ("de-de" → "de-DE"), without Unicode extensions (a
 * "-u-nu-arab" would write German figures in Arabic digits); undefined when it is no BCP 47 tag or
 * its language has no texts.
 */
export function supportedLocale(value: string): string | undefined {
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(value);
  } catch {
    return undefined;
  }
  return (LANGUAGES as readonly string[]).includes(locale.language) ? locale.baseName : undefined;
}

/** The time zone in Intl's spelling ("europe/berlin" → "Europe/Berlin"); undefined when Intl does not know it. */
export function supportedTimeZone(value: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The language of a supported locale; a stored locale is always supported, anything else reads English. */
export function languageOf(locale: string): Language {
  const language = supportedLocale(locale) && new Intl.Locale(locale).language;
  return language === 'de' ? 'de' : 'en';
}
