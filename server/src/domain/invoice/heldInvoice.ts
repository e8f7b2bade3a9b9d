// When an invoice waits as a draft: one to a business buyer (a VAT id, or marked as a business)
// must name the buyer's address (§14 (4) UStG), so while the account has none the invoice is held,
// unnumbered, and says why; it is issued once the address is given. A consumer's invoice is never
// held: its name is enough.
import type { AccountBilling } from '../account/Account';

/** The buyer's details an invoice to a business cannot go without, as the account update names them. */
export const BUYER_DETAILS = ['billing.address'] as const;
export type BuyerDetail = (typeof BUYER_DETAILS)[number];

/** Why a draft is held: the account's fields to give and a sentence saying so. */
export interface Held {
  missing: BuyerDetail[];
  message: string;
}

export function isBusinessBuyer(billing: AccountBilling): boolean {
  return billing.business === true || billing.vatId !== undefined;
}

/** The buyer's details an invoice to this account still lacks; none for a consumer. */
export function missingBuyerDetails(billing: AccountBilling): BuyerDetail[] {
  if (!isBusinessBuyer(billing)) return [];
  return billing.address && billing.address.length > 0 ? [] : ['billing.address'];
}

/** Why an invoice to this account would be held now; null when it can be issued. */
export function heldFor(billing: AccountBilling): Held | null {
  const missing = missingBuyerDetails(billing);
  if (missing.length === 0) return null;
  return {
    missing,
    message: `Held as a draft: an invoice to a business must name the buyer's address (§14 UStG). It is issued, with its number, once the account's ${missing.join(' and ')} is given.`,
  };
}
