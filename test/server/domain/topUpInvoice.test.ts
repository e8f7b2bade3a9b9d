// When a top-up issues an invoice, at what net, with which line, and what buying balance costs with
// VAT (domain/invoice/topUpInvoice). Credits preset: 0.40 EUR per 1,000 credits, net; VAT 19%.
import { DomainFailure } from '../../../server/src/domain/errors';
import { checkPaidCurrency, topUpBilling, topUpCharge, topUpLine, type TopUpOrigin } from '../../../server/src/domain/invoice/topUpInvoice';
import { money } from '../../../server/src/domain/money';

const credits = { balanceUnit: 'credits', currency: 'EUR', topUps: { expire: 'never' as const, price: { amount: money('0.40'), per: 1000 } } };
const euros = { balanceUnit: 'EUR', currency: 'EUR', topUps: { expire: 'never' as const } };
const unpriced = { balanceUnit: 'credits', currency: 'EUR', topUps: { expire: 'never' as const } };

const none: TopUpOrigin = { kind: 'none' };
const recharge: TopUpOrigin = { kind: 'recharge' };
const request = (amount: number, price: string | null): TopUpOrigin => ({
  kind: 'request',
  amount: money(amount),
  price: price === null ? null : money(price),
});
const paid = (net: string, currency = 'EUR') => ({ net: money(net), currency });

/** The billing as plain strings, for toEqual. */
function billing(input: Parameters<typeof topUpBilling>[0]) {
  const decided = topUpBilling(input);
  return decided.invoice ? { invoice: true, net: decided.net.toFixed(2), paid: decided.paid } : { invoice: false };
}

function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainFailure) return error.error;
    throw error;
  }
  throw new Error('expected a DomainFailure');
}

describe('whether a top-up issues an invoice', () => {
  test('a top-up that carries paid is invoiced at its net, as paid, whatever its reference answers', () => {
    expect(billing({ catalog: credits, amount: money(250000), paid: paid('100.00'), origin: none })).toEqual({ invoice: true, net: '100.00', paid: true });
    expect(billing({ catalog: unpriced, amount: money(250000), paid: paid('99.99'), invoice: true, origin: recharge })).toEqual({
      invoice: true,
      net: '99.99',
      paid: true,
    });
  });

  test("a top-up answering a request is invoiced at the request's price, as paid; at the catalog's where the amount differs", () => {
    expect(billing({ catalog: credits, amount: money(50000), origin: request(50000, '20.00') })).toEqual({ invoice: true, net: '20.00', paid: true });
    // The catalog's price changed since the request: the customer pays what the request showed.
    expect(billing({ catalog: credits, amount: money(50000), origin: request(50000, '18.00') })).toEqual({ invoice: true, net: '18.00', paid: true });
    // 60,000 credits at 0.40 per 1,000: 24.00.
    expect(billing({ catalog: credits, amount: money(60000), origin: request(50000, '20.00') })).toEqual({ invoice: true, net: '24.00', paid: true });
  });

  test("a top-up answering an auto-recharge request is invoiced at the catalog's price, as paid: 100,000 credits, 40.00", () => {
    expect(billing({ catalog: credits, amount: money(100000), origin: recharge })).toEqual({ invoice: true, net: '40.00', paid: true });
  });

  test('any other top-up is a grant without payment: no invoice, unless invoice: true asks for an open one', () => {
    expect(billing({ catalog: credits, amount: money(250000), origin: none })).toEqual({ invoice: false });
    expect(billing({ catalog: credits, amount: money(250000), invoice: true, origin: none })).toEqual({ invoice: true, net: '100.00', paid: false });
    // A balance in euros costs itself: 50 EUR, 50.00 net.
    expect(billing({ catalog: euros, amount: money(50), invoice: true, origin: none })).toEqual({ invoice: true, net: '50.00', paid: false });
  });

  test("invoice: false leaves a request's or a recharge's top-up uninvoiced", () => {
    expect(billing({ catalog: credits, amount: money(50000), invoice: false, origin: request(50000, '20.00') })).toEqual({ invoice: false });
    expect(billing({ catalog: credits, amount: money(100000), invoice: false, origin: recharge })).toEqual({ invoice: false });
  });

  test('credits worth nothing to the cent, or that the catalog prices not, are not invoiced unless asked', () => {
    // 10 credits: 0.004 EUR, 0.00 to the cent.
    expect(billing({ catalog: credits, amount: money(10), origin: recharge })).toEqual({ invoice: false });
    expect(billing({ catalog: unpriced, amount: money(1000), origin: recharge })).toEqual({ invoice: false });
    expect(billing({ catalog: unpriced, amount: money(1000), origin: request(1000, null) })).toEqual({ invoice: false });
    expect(failure(() => topUpBilling({ catalog: unpriced, amount: money(1000), invoice: true, origin: none }))).toMatchObject({
      code: 'refused',
      reason: 'topup_unpriced',
    });
  });

  test('paid in another currency is refused naming paid.currency; paid with invoice: false naming invoice', () => {
    expect(failure(() => checkPaidCurrency(credits, paid('100.00', 'USD')))).toMatchObject({
      code: 'validation_failed',
      field: 'paid.currency',
      message: 'must be EUR, the currency the catalog invoices in',
    });
    expect(failure(() => topUpBilling({ catalog: credits, amount: money(1000), paid: paid('1.00', 'USD'), origin: none }))).toMatchObject({
      field: 'paid.currency',
    });
    expect(failure(() => topUpBilling({ catalog: credits, amount: money(1000), paid: paid('1.00'), invoice: false, origin: none }))).toMatchObject({
      field: 'invoice',
    });
    expect(() => checkPaidCurrency(credits, undefined)).not.toThrow();
  });
});

describe("a top-up invoice's line", () => {
  test('credits: "Credits top-up, 250,000 credits", once, at the net', () => {
    const { text, ...line } = topUpLine({ catalog: credits, amount: money(250000), net: money('100.00') });
    expect(text).toEqual({ kind: 'topUp', unit: 'credits', amount: money(250000), inCurrency: false });
    expect({ ...line, quantity: line.quantity.toString(), unitPrice: line.unitPrice.toFixed(2), amount: line.amount!.toFixed(2) }).toEqual({
      description: 'Credits top-up, 250,000 credits',
      quantity: '1',
      unit: 'top-up',
      unitPrice: '100.00',
      amount: '100.00',
    });
    expect(topUpLine({ catalog: credits, amount: money('1234567.5'), net: money('493.83') }).description).toBe('Credits top-up, 1,234,567.5 credits');
  });

  test('a balance that counts in the currency: "Balance top-up"', () => {
    expect(topUpLine({ catalog: euros, amount: money(50), net: money(50) }).description).toBe('Balance top-up');
  });
});

describe('what buying balance costs, with VAT', () => {
  test('100,000 credits for a German consumer: 40.00 net, 7.60 VAT, 47.60', () => {
    expect(topUpCharge({ catalog: credits, amount: money(100000), taxRate: money(19), reverseCharge: false })).toEqual({
      net: '40.00',
      tax: '7.60',
      gross: '47.60',
      currency: 'EUR',
    });
  });
  test('12,345 credits: 4.94 net, 19% of it 0.9386, 0.94 VAT, 5.88', () => {
    expect(topUpCharge({ catalog: credits, amount: money(12345), taxRate: money(19), reverseCharge: false })).toEqual({
      net: '4.94',
      tax: '0.94',
      gross: '5.88',
      currency: 'EUR',
    });
  });
  test('a business buyer elsewhere in the EU pays no VAT (reverse charge)', () => {
    expect(topUpCharge({ catalog: credits, amount: money(100000), taxRate: money(19), reverseCharge: true })).toEqual({
      net: '40.00',
      tax: '0.00',
      gross: '40.00',
      currency: 'EUR',
    });
  });
  test("an account's own rate, 7%: 50 EUR of balance, 3.50 VAT, 53.50", () => {
    expect(topUpCharge({ catalog: euros, amount: money(50), taxRate: money(7), reverseCharge: false })).toEqual({
      net: '50.00',
      tax: '3.50',
      gross: '53.50',
      currency: 'EUR',
    });
  });
  test('none where the catalog prices no balance', () => {
    expect(topUpCharge({ catalog: unpriced, amount: money(1000), taxRate: money(19), reverseCharge: false })).toBeNull();
  });
});
