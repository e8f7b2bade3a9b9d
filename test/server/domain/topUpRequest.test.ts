// What balance costs and where a customer's request to buy it stands (domain/recharge/TopUpRequest).
// Credits preset: 0.40 EUR per 1,000 credits, net.
import { money } from '../../../server/src/domain/money';
import { balanceValue, requestStatus, sameRequest, type TopUpRequest, topUpPrice } from '../../../server/src/domain/recharge/TopUpRequest';

const credits = { balanceUnit: 'credits', currency: 'EUR', topUps: { expire: 'never' as const, price: { amount: money('0.40'), per: 1000 } } };
const euros = { balanceUnit: 'EUR', currency: 'EUR', topUps: { expire: 'never' as const } };
const unpriced = { balanceUnit: 'credits', currency: 'EUR', topUps: { expire: 'never' as const } };

const request = (over: Partial<TopUpRequest> = {}): TopUpRequest => ({
  id: 'tur_1',
  accountId: 'shop',
  amount: money(50000),
  price: money(20),
  currency: 'EUR',
  requestedAt: new Date('2026-03-10T09:00:00Z'),
  checkoutUrl: null,
  answeredAt: null,
  paidAt: null,
  ...over,
});

describe('the price of balance', () => {
  test('50,000 credits cost 20 EUR at 0.40 EUR per 1,000', () => {
    expect(topUpPrice(credits, money(50000))!.toFixed(2)).toBe('20.00');
  });
  test('12,345 credits are worth 4.938 EUR exactly and cost 4.94 EUR to the cent', () => {
    expect(balanceValue(credits, money(12345))!.toString()).toBe('4.938');
    expect(topUpPrice(credits, money(12345))!.toFixed(2)).toBe('4.94');
  });
  test('one credit is worth 0.0004 EUR and costs nothing to the cent', () => {
    expect(balanceValue(credits, money(1))!.toString()).toBe('0.0004');
    expect(topUpPrice(credits, money(1))!.toFixed(2)).toBe('0.00');
  });
  test('a balance in euros is worth itself', () => {
    expect(balanceValue(euros, money('10.505'))!.toString()).toBe('10.505');
    expect(topUpPrice(euros, money('10.505'))!.toFixed(2)).toBe('10.51');
  });
  test('credits the catalog gives no price have no money value', () => {
    expect(balanceValue(unpriced, money(1000))).toBeUndefined();
  });
});

describe('a top-up request', () => {
  test('waits for its link, is ready with it, and is paid once a top-up carries its id', () => {
    expect(requestStatus(request())).toBe('waiting_for_link');
    expect(requestStatus(request({ checkoutUrl: 'https://pay.example/1' }))).toBe('ready');
    expect(requestStatus(request({ checkoutUrl: 'https://pay.example/1', paidAt: new Date('2026-03-10T09:05:00Z') }))).toBe('paid');
  });
  test('the same amount asked again within 15 minutes is the same request; later, paid or another amount, a new one', () => {
    const latest = request();
    expect(sameRequest(latest, money(50000), new Date('2026-03-10T09:14:59Z'))).toBe(true);
    expect(sameRequest(latest, money(50000), new Date('2026-03-10T09:15:00Z'))).toBe(false);
    expect(sameRequest(latest, money(60000), new Date('2026-03-10T09:01:00Z'))).toBe(false);
    expect(sameRequest(request({ paidAt: new Date('2026-03-10T09:01:00Z') }), money(50000), new Date('2026-03-10T09:02:00Z'))).toBe(false);
    expect(sameRequest(undefined, money(50000), new Date('2026-03-10T09:02:00Z'))).toBe(false);
  });
});
