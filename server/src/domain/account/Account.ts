// An account is one customer of the operator: its plan, billing interval, cycle anchor and the
// cached balance (always equal to the sum of its ledger entries).
import type { AllowanceExtras } from '../allowance/AllowanceExtras';
import type { Interval } from '../catalog/Catalog';
import type { AccountPrices } from './AccountPrices';
import type { Money } from '../money';
import { type AfterEnd, type Refusal, subscriptionEnded } from '../refusals';

export type AccountStatus = 'active' | 'paused';

/** What an invoice prints about the buyer beyond the name, and how the buyer is taxed. */
export interface AccountBilling {
  address?: string[];
  /** ISO 3166 code. */
  country?: string;
  vatId?: string;
  /** A business customer without a VAT id (one with a VAT id is one anyway): its invoices must name its address. */
  business?: boolean;
  /** VAT in percent, instead of the catalog's rate (a decimal string). */
  taxRate?: string;
  /** The buyer owes the VAT: invoices bill none and say so. */
  reverseCharge?: boolean;
  /** Days the buyer has to pay an invoice, instead of the catalog's terms. */
  paymentTermsDays?: number;
}

/** A plan change that waits for the end of the cycle (a downgrade, a new billing interval). */
export interface ScheduledChange {
  plan: string;
  interval: Interval;
  /** When it takes effect: the current cycle's end. */
  at: string;
  requestedAt: string;
  /** The catalog version it moves to; the account's own when absent. */
  catalogVersion?: number;
}

/** The last failed payment, kept until a payment succeeds. */
export interface PaymentIssue {
  invoice: string;
  number: string;
  reason: string;
  at: string;
}

export interface Account {
  id: string;
  name: string;
  /** Where the operator's workflows write to the account's owner; null when not given. */
  email: string | null;
  /** The operator's own string facts about the account, e.g. its payment provider's customer ID. */
  metadata: Record<string, string>;
  plan: string;
  interval: Interval;
  anchor: Date;
  status: AccountStatus;
  balance: Money;
  /** What usage drew beyond every grant; a top-up pays it back first. balance = grants - debt. */
  debt: Money;
  createdAt: Date;
  billing: AccountBilling;
  paymentIssue: PaymentIssue | null;
  /** When the plan began within the current cycle; null when it began with the cycle. */
  planSince: Date | null;
  scheduledChange: ScheduledChange | null;
  /** Counted resources that plan limits apply to: documents, assistants, seats. */
  resources: Record<string, number>;
  /** A cancelled subscription ends here (a cycle's end): usage from then on is refused. */
  endsAt: Date | null;
  /** Set by the last cycle's closing: nothing renews any more. */
  endedAt: Date | null;
  /** Allowance units bought as add-ons, by meter and period. */
  allowanceExtras: AllowanceExtras;
  /** The end of the last cycle closed, where the open cycle (if any) starts; null before the first closing. */
  cycleStart: Date | null;
  /** Where the open cycle ends (its closing is due then); null until the closer has computed it. */
  cycleEnd: Date | null;
  /** What a postpaid account may spend per cycle, in the invoice currency; null for no limit. */
  spendLimit: Money | null;
  /** How far the plan fee is billed (paid up front); null where nothing is billed ahead. */
  feePaidUntil: Date | null;
  /** Its own prices by service, which beat its plan's and the catalog's; absent where it has none. */
  prices?: AccountPrices;
  /** The language its dashboard, explanations and new invoices speak (BCP 47, German or English). */
  locale: string;
  /** Where its days and times are read (IANA). */
  timeZone: string;
  /**
   * The catalog version it is rated, billed and shown on: the one it subscribed on until it moves.
   * Always read with the account's row; an account built in code without one is on version 1.
   */
  catalogVersion?: number;
}

/** The refusal of `refused` at `at` once the subscription has ended; undefined while it runs. */
export function endedRefusal(account: Pick<Account, 'endsAt'>, at: Date, refused: AfterEnd): Refusal<'subscription_ended'> | undefined {
  if (!account.endsAt || at.getTime() < account.endsAt.getTime()) return undefined;
  return subscriptionEnded(account.endsAt, refused);
}

/**
 * A prepaid account whose balance cannot cover usage is paused: services that cost credits wait
 * for a top-up. A postpaid account accrues for its invoice and is never paused for its balance.
 */
export function accountStatus(billing: 'prepaid' | 'postpaid', balance: Money): AccountStatus {
  return billing === 'prepaid' && balance.lessThanOrEqualTo(0) ? 'paused' : 'active';
}

/** The country a VAT id begins with, as an ISO code: Greece's VAT prefix EL is GR. Undefined where it begins with no two letters. */
export function vatIdCountry(vatId: string | undefined): string | undefined {
  const prefix = /^([A-Za-z]{2})/.exec(vatId ?? '')?.[1]?.toUpperCase();
  return prefix === 'EL' ? 'GR' : prefix;
}
