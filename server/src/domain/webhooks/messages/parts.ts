// Pieces several webhook payloads share: how decimals, instants, links, account figures and plan terms are sent.
import { z } from 'zod';
import { INTERVALS } from '../../catalog/Catalog';

// Amounts go out as decimalString (or PostgreSQL's numeric text) writes them: never a JSON number,
// which would lose digits, and never in exponent notation.
export const decimal = z.string().regex(/^-?\d+(\.\d+)?$/).describe('A decimal number as a string');
export const instant = z.iso.datetime();
export const period = z.strictObject({ start: instant, end: instant });
export const planTerms = z.strictObject({ plan: z.string(), interval: z.enum(INTERVALS) });
export const accountStatus = z.enum(['active', 'paused']);

/** accountLinks(): where a subscriber reads more. Payloads with links of their own extend it. */
export const accountLinks = z.strictObject({ account: z.string(), balance: z.string(), ledger: z.string() }).describe('Paths on this server');

/** The account's state after the change a message reports. */
export const accountPart = {
  account: z.string(),
  balance: decimal.describe('Balance after the change'),
  status: accountStatus,
  links: accountLinks,
};
