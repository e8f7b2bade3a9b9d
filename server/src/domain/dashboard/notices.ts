// What the customer's dashboard must say first, above its figures: that service is paused and
// why, that a payment failed, or that a prepaid balance runs out before its cycle ends at the
// rate it is spent. Each notice says what to do.
import type { PaymentIssue } from '../account/Account';
import { dayForPeople, decimalForPeople } from '../display/forPeople';
import type { Money } from '../money';

export interface DashboardNotice {
  kind: 'paused' | 'payment_failed' | 'runs_out';
  message: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function dashboardNotices(input: {
  status: 'active' | 'paused';
  billing: 'prepaid' | 'postpaid';
  paymentIssue: PaymentIssue | null;
  /** What the account can still spend: balance less what calls in progress hold. */
  available: Money;
  /** Spent a day in the running cycle so far, in the balance unit. */
  runRatePerDay: Money;
  /** The cycle's end (exclusive: a cycle ending 1 April ends on 31 March). */
  cycleEnd: Date;
  now: Date;
  unit: string;
}): DashboardNotice[] {
  const notices: DashboardNotice[] = [];
  const { unit } = input;
  if (input.status === 'paused') {
    notices.push({
      kind: 'paused',
      message: `Service is paused: the balance of ${decimalForPeople(input.available)} ${unit} cannot cover further usage, so calls and messages that cost ${unit} are refused. Top up to resume at once.`,
    });
  }
  if (input.paymentIssue) {
    const { number, reason, at } = input.paymentIssue;
    notices.push({
      kind: 'payment_failed',
      message: `The payment of invoice ${number} failed on ${dayForPeople(new Date(at))} (${reason.replaceAll('_', ' ')}). Pay the invoice or update the payment method to keep the service running.`,
    });
  }
  if (input.status === 'active' && input.billing === 'prepaid' && input.runRatePerDay.greaterThan(0) && input.available.greaterThan(0)) {
    const daysLeft = input.available.dividedBy(input.runRatePerDay);
    const runsOutAt = new Date(input.now.getTime() + daysLeft.times(DAY_MS).floor().toNumber());
    if (runsOutAt < input.cycleEnd) {
      const days = daysLeft.lessThan(1) ? 'less than a day' : `about ${daysLeft.floor().toFixed()} ${daysLeft.floor().equals(1) ? 'day' : 'days'}`;
      notices.push({
        kind: 'runs_out',
        message: `At ${decimalForPeople(input.runRatePerDay)} ${unit} a day, the balance lasts ${days}, until ${dayForPeople(runsOutAt)}, before the cycle ends on ${dayForPeople(new Date(input.cycleEnd.getTime() - 1))}. Top up to avoid a pause.`,
      });
    }
  }
  return notices;
}
