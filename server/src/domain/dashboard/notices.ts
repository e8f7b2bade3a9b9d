// What the customer's dashboard must say first, above its figures: that service is paused and
// why, that a payment failed, or that a prepaid balance runs out before its cycle ends at the
// rate it is spent, or that invoices wait for the billing address. Each notice says what to do, in
// the account's language.
import type { PaymentIssue } from '../account/Account';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../display/Locale';
import { localFormat } from '../display/localFormat';
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
  /** The account's language and time zone, and the display precision of amounts in `unit`; English and UTC when not given. */
  display?: DisplaySettings;
  /** Invoices held as drafts for the buyer's address, and whether the next one will be (absent: none). */
  held?: { drafts: number; next: boolean };
}): DashboardNotice[] {
  const notices: DashboardNotice[] = [];
  const { unit } = input;
  const f = localFormat(input.display ?? DEFAULT_DISPLAY);
  const t = f.texts.notices;
  if (input.status === 'paused') {
    notices.push({ kind: 'paused', message: t.paused(f.amount(input.available, unit), f.texts.unit(unit, true)) });
  }
  if (input.paymentIssue) {
    const { number, reason, at } = input.paymentIssue;
    const because = f.texts.document.paymentFailures[reason] ?? reason.replaceAll('_', ' ');
    notices.push({ kind: 'payment_failed', message: t.paymentFailed({ number, day: f.day(new Date(at)), reason: because }) });
  }
  if (input.status === 'active' && input.billing === 'prepaid' && input.runRatePerDay.greaterThan(0) && input.available.greaterThan(0)) {
    const daysLeft = input.available.dividedBy(input.runRatePerDay);
    const runsOutAt = new Date(input.now.getTime() + daysLeft.times(DAY_MS).floor().toNumber());
    if (runsOutAt < input.cycleEnd) {
      const days = daysLeft.lessThan(1) ? t.lessThanADay : t.aboutDays(daysLeft.floor().toNumber());
      notices.push({
        kind: 'runs_out',
        message: t.runsOut({
          rate: f.amount(input.runRatePerDay, unit),
          days,
          until: f.day(runsOutAt),
          cycleEnd: f.cycleDay(new Date(input.cycleEnd.getTime() - 1)),
        }),
      });
    }
  }
  if (input.held && (input.held.drafts > 0 || input.held.next)) notices.push({ kind: 'invoice_held', message: t.held(input.held.drafts) });
  return notices;
}
