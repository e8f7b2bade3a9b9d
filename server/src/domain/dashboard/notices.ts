// What the customer's dashboard must say first, above its figures: that service is paused and
// why, that a payment failed, that a prepaid balance runs out before its cycle ends at the
// rate it is spent, or that invoices wait for the billing address. Each notice says what to do.
import type { PaymentIssue } from '../account/Account';
import { amountForPeople, DISPLAY_DECIMALS, dayForPeople } from '../display/forPeople';
import type { Money } from '../money';

export interface DashboardNotice {
  kind: 'paused' | 'payment_failed' | 'runs_out' | 'invoice_held';
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
  /** The display precision of amounts in `unit` (displayDecimals); four decimals when not given. */
  decimals?: number;
  /** Invoices held as drafts for the buyer's address, and whether the next one will be (absent: none). */
  held?: { drafts: number; next: boolean };
}): DashboardNotice[] {
  const notices: DashboardNotice[] = [];
  const { unit } = input;
  const amount = (value: Money) => amountForPeople(value, input.decimals ?? DISPLAY_DECIMALS);
  if (input.status === 'paused') {
    notices.push({
      kind: 'paused',
      message: `Service is paused: the balance of ${amount(input.available)} ${unit} cannot cover further usage, so calls and messages that cost ${unit} are refused. Top up to resume at once.`,
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
        message: `At ${amount(input.runRatePerDay)} ${unit} a day, the balance lasts ${days}, until ${dayForPeople(runsOutAt)}, before the cycle ends on ${dayForPeople(new Date(input.cycleEnd.getTime() - 1))}. Top up to avoid a pause.`,
      });
    }
  }
  if (input.held && (input.held.drafts > 0 || input.held.next)) {
    const { drafts } = input.held;
    const what = drafts === 0 ? 'Your next invoice will be held' : `${drafts === 1 ? 'An invoice is' : `${drafts} invoices are`} held`;
    notices.push({
      kind: 'invoice_held',
      message: `${what} as a draft until your billing address is given: an invoice to a business must name the buyer's address. Send your address to have it issued.`,
    });
  }
  return notices;
}
