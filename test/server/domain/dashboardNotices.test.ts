// What the dashboard says above its figures (pure): a pause, a failed payment, a prepaid balance
// that runs out before its cycle ends at the rate it is spent.
import { dashboardNotices } from '../../../server/src/domain/dashboard/notices';
import { money } from '../../../server/src/domain/money';

const base = {
  status: 'active' as const,
  billing: 'prepaid' as const,
  paymentIssue: null,
  available: money(500000),
  runRatePerDay: money(0),
  // A March cycle, read on 10 March at noon.
  cycleEnd: new Date('2026-04-01T00:00:00Z'),
  now: new Date('2026-03-10T12:00:00Z'),
  unit: 'credits',
};

describe('dashboard notices', () => {
  test('an active account with enough balance and no failed payment has nothing to say', () => {
    expect(dashboardNotices(base)).toEqual([]);
  });

  test('a paused account is told why and what to do', () => {
    expect(dashboardNotices({ ...base, status: 'paused', available: money(40) })).toEqual([
      {
        kind: 'paused',
        message: 'Service is paused: the balance of 40 credits cannot cover further usage, so calls and messages that cost credits are refused. Top up to resume at once.',
      },
    ]);
  });

  test('a failed payment names the invoice, the day and the reason', () => {
    const paymentIssue = { invoice: 'inv_1', number: 'CM-2026-000001', reason: 'card_declined', at: '2026-04-02T10:00:00.000Z' };
    expect(dashboardNotices({ ...base, billing: 'postpaid', paymentIssue })).toEqual([
      {
        kind: 'payment_failed',
        message: 'The payment of invoice CM-2026-000001 failed on 2026-04-02 (card declined). Pay the invoice or update the payment method to keep the service running.',
      },
    ]);
  });

  test('61,000 credits spent at 40,000 a day last about a day and a half, well before the cycle ends', () => {
    // 61000 / 40000 = 1.525 days after 10 March 12:00: 12 March 00:36.
    expect(dashboardNotices({ ...base, available: money(61000), runRatePerDay: money(40000) })).toEqual([
      {
        kind: 'runs_out',
        message: 'At 40000 credits a day, the balance lasts about 1 day, until 2026-03-12, before the cycle ends on 2026-03-31. Top up to avoid a pause.',
      },
    ]);
  });

  test('a balance that outlasts the cycle at its rate is not warned about: 500,000 credits at 10,000 a day last 50 days', () => {
    expect(dashboardNotices({ ...base, runRatePerDay: money(10000) })).toEqual([]);
  });

  test('less than a day left says so', () => {
    const [notice] = dashboardNotices({ ...base, available: money(100), runRatePerDay: money(1000) });
    expect(notice!.message).toBe('At 1000 credits a day, the balance lasts less than a day, until 2026-03-10, before the cycle ends on 2026-03-31. Top up to avoid a pause.');
  });

  test('a postpaid account is billed for what it uses and never runs out', () => {
    expect(dashboardNotices({ ...base, billing: 'postpaid', available: money(-50), runRatePerDay: money(10) })).toEqual([]);
  });
});
