// Which invoices wait as drafts: one to a business buyer (a VAT id, or marked as a business) without
// an address; a consumer's never.
import { heldFor, isBusinessBuyer, missingBuyerDetails } from '../../../server/src/domain/invoice/heldInvoice';

test('a buyer with a VAT id, or marked as a business, is a business; one with neither is a consumer', () => {
  expect(isBusinessBuyer({ vatId: 'DE123456789' })).toBe(true);
  expect(isBusinessBuyer({ business: true })).toBe(true);
  expect(isBusinessBuyer({ country: 'DE', address: ['Torstraße 1'] })).toBe(false);
  expect(isBusinessBuyer({ business: false })).toBe(false);
});

test("a business buyer's invoice is held until the address is given; a consumer's never is", () => {
  expect(missingBuyerDetails({ vatId: 'DE123456789', country: 'DE' })).toEqual(['billing.address']);
  expect(missingBuyerDetails({ business: true, address: [] })).toEqual(['billing.address']);
  expect(missingBuyerDetails({ vatId: 'DE123456789', address: ['Torstraße 1', '10119 Berlin'] })).toEqual([]);
  expect(missingBuyerDetails({})).toEqual([]);
  expect(heldFor({})).toBeNull();
  expect(heldFor({ business: true })).toEqual({
    missing: ['billing.address'],
    message: "Held as a draft: an invoice to a business must name the buyer's address (§14 UStG). It is issued, with its number, once the account's billing.address is given.",
  });
});
