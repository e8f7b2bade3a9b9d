// An invoice's arithmetic: lines at their net prices, VAT per rate, totals. Prices are net. The one
// rounding rule: each line's net amount rounds once, half up, to the cent; VAT is computed per rate
// on the sum of that rate's rounded lines and rounds half up to the cent; the gross total is the
// sum of the rounded nets and taxes. Nothing is rounded twice.
import type { LineText } from './LineText';
import { decimalString, Money, sum, ZERO } from '../money';

export const CENTS = 2;

/** Why a payment failed, as the payment provider reports it. */
export const PAYMENT_FAILURES = ['card_declined', 'insufficient_funds', 'expired_card'] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

/** The note printed when the buyer owes the VAT (an EU business customer in another country). */
export const REVERSE_CHARGE_NOTE = 'Reverse charge: VAT is owed by the recipient (Article 196, Council Directive 2006/112/EC).';

export interface LineInput {
  description: string;
  quantity: Money;
  /** What one unit is, as printed: "month", "60 seconds", "segment". */
  unit: string;
  unitPrice: Money;
  /** The exact net before rounding; quantity × unit price when not given. */
  amount?: Money;
  /** What the line says, for its words in the account's language; `description` is its English. */
  text?: LineText;
}

export interface InvoiceLine {
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  net: string;
  taxRate: string;
}

export interface InvoiceTotals {
  lines: InvoiceLine[];
  taxes: { rate: string; net: string; tax: string }[];
  net: string;
  tax: string;
  gross: string;
  notes: string[];
}

const cents = (value: Money) => value.toDecimalPlaces(CENTS, Money.ROUND_HALF_UP);
const fixed = (value: Money) => value.toFixed(CENTS);

/** `taxRate` in percent (19 for 19%); a reverse charge bills no VAT and says why. */
export function invoiceTotals(inputs: readonly LineInput[], taxRate: Money, reverseCharge: boolean): InvoiceTotals {
  const rate = reverseCharge ? ZERO : taxRate;
  const lines = inputs.map((line) => {
    const net = cents(line.amount ?? line.quantity.times(line.unitPrice));
    return { line, net };
  });
  const netTotal = sum(lines.map((l) => l.net));
  const tax = cents(netTotal.times(rate).dividedBy(100));
  return {
    lines: lines.map(({ line, net }) => ({
      description: line.description,
      quantity: decimalString(line.quantity),
      unit: line.unit,
      unitPrice: decimalString(line.unitPrice),
      net: fixed(net),
      taxRate: decimalString(rate),
    })),
    taxes: lines.length === 0 ? [] : [{ rate: decimalString(rate), net: fixed(netTotal), tax: fixed(tax) }],
    net: fixed(netTotal),
    tax: fixed(tax),
    gross: fixed(netTotal.plus(tax)),
    notes: reverseCharge ? [REVERSE_CHARGE_NOTE] : [],
  };
}

/**
 * What an invoice still asks: its gross less what its credit notes credited while it is unpaid
 * (open or failed); nothing once it is paid or void.
 */
export function amountDue(invoice: { status: string; gross: string; credited: string }): string {
  if (invoice.status !== 'open' && invoice.status !== 'failed') return fixed(ZERO);
  const due = new Money(invoice.gross).minus(invoice.credited);
  return fixed(due.isNegative() ? ZERO : due);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When an invoice issued at `issuedAt` is due under terms of `days` (0: on receipt, the moment it is issued). */
export function dueDate(issuedAt: Date, days: number): Date {
  return new Date(issuedAt.getTime() + days * DAY_MS);
}

/** The invoice number from the issuer's format: {PREFIX}, {YYYY}, {MM} and {SEQ:n} (zero-padded to n digits). */
export function invoiceNumber({ format, prefix, sequence, issuedAt }: { format: string; prefix: string; sequence: number; issuedAt: Date }): string {
  return format
    .replaceAll('{PREFIX}', prefix)
    .replaceAll('{YYYY}', String(issuedAt.getUTCFullYear()))
    .replaceAll('{MM}', String(issuedAt.getUTCMonth() + 1).padStart(2, '0'))
    .replace(/\{SEQ(?::(\d+))?\}/g, (_, width: string | undefined) => String(sequence).padStart(Number(width ?? 1), '0'));
}
