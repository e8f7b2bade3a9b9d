// A credit note's arithmetic: part or all of an issued invoice given back. What it credits is said
// per invoice line (a quantity at the line's unit price, or an amount of money) or as one amount,
// spread over the invoice's lines in their order, each taking what is left on it. The invoice's
// rounding rule holds: each line's net rounds once, half up, to the cent; VAT is reversed per rate
// as the VAT on all that the invoice's notes have credited at that rate so far, less what earlier
// notes reversed, so that however many notes there are, their VAT never passes the invoice's (a
// reverse-charge invoice reverses none and the note repeats why). Never more than is left to credit: per line, its net less what earlier notes
// credited on it, and on the whole invoice, its net less what earlier notes credited (a line that
// credits back, as a proration's does, leaves less). Amounts are positive here; the documents print
// them as negative.
import { DomainFailure, validationFailed } from '../errors';
import { decimalString, minOf, money, Money, sum, ZERO } from '../money';
import { CENTS, type InvoiceLine, REVERSE_CHARGE_NOTE } from './Invoice';

/** Lines are named by their 0-based index in the invoice's `lines`. */
export type CreditRequest = { lines: readonly ({ line: number; quantity: Money } | { line: number; amount: Money })[] } | { amount: Money };

export interface CreditNoteLine {
  /** The invoice line credited (0-based). */
  line: number;
  description: string;
  /** The quantity credited at the line's unit price; null where an amount was credited. */
  quantity: string | null;
  unit: string;
  unitPrice: string | null;
  net: string;
  taxRate: string;
}

export interface CreditNoteTotals {
  lines: CreditNoteLine[];
  taxes: { rate: string; net: string; tax: string }[];
  net: string;
  tax: string;
  gross: string;
  notes: string[];
}

/** What is credited, from the invoice as issued. */
export interface CreditedInvoice {
  lines: readonly InvoiceLine[];
  notes: readonly string[];
  currency: string;
}

const cents = (value: Money) => value.toDecimalPlaces(CENTS, Money.ROUND_HALF_UP);
const fixed = (value: Money) => value.toFixed(CENTS);

/** What earlier credit notes credited on each invoice line, by the line's index. */
export function creditedByLine(notes: readonly { lines: readonly Pick<CreditNoteLine, 'line' | 'net'>[] }[]): Map<number, Money> {
  const credited = new Map<number, Money>();
  for (const line of notes.flatMap((n) => n.lines)) credited.set(line.line, (credited.get(line.line) ?? ZERO).plus(line.net));
  return credited;
}

/** What is left to credit on each invoice line. */
function leftByLine(invoice: CreditedInvoice, credited: ReadonlyMap<number, Money>): Money[] {
  return invoice.lines.map((line, i) => money(line.net).minus(credited.get(i) ?? ZERO));
}

/** The lines and totals of a credit note; a request past what is left is refused, naming the field. */
export function planCreditNote({
  invoice,
  credited,
  request,
}: {
  invoice: CreditedInvoice;
  credited: ReadonlyMap<number, Money>;
  request: CreditRequest;
}): CreditNoteTotals {
  const left = leftByLine(invoice, credited);
  const amount = (value: Money) => `${fixed(value)} ${invoice.currency}`;
  const lines: CreditNoteLine[] = [];
  const credit = (index: number, net: Money, quantity: Money | null) => {
    const line = invoice.lines[index]!;
    lines.push({
      line: index,
      description: line.description,
      quantity: quantity === null ? null : decimalString(quantity),
      unit: line.unit,
      unitPrice: quantity === null ? null : line.unitPrice,
      net: fixed(net),
      taxRate: line.taxRate,
    });
  };

  if ('amount' in request) {
    let rest = cents(request.amount);
    const room = sum(left);
    if (!rest.greaterThan(0)) throw new DomainFailure(validationFailed('amount', 'must credit at least 0.01'));
    if (rest.greaterThan(room))
      throw new DomainFailure(validationFailed('amount', `is ${amount(rest)}, more than the ${amount(room)} left to credit on the invoice`));
    left.forEach((room, index) => {
      const net = minOf(room, rest);
      if (!net.greaterThan(0)) return;
      credit(index, net, null);
      rest = rest.minus(net);
    });
  } else {
    const seen = new Set<number>();
    request.lines.forEach((asked, i) => {
      const line = invoice.lines[asked.line];
      if (!line)
        throw new DomainFailure(validationFailed(`lines[${i}].line`, `is ${asked.line}: the invoice's lines are numbered 0 to ${invoice.lines.length - 1}`));
      if (seen.has(asked.line)) throw new DomainFailure(validationFailed(`lines[${i}].line`, `credits line ${asked.line} a second time: give each line once`));
      seen.add(asked.line);
      const field = 'quantity' in asked ? `lines[${i}].quantity` : `lines[${i}].amount`;
      // The whole quantity of a line not credited before is the line's own net, rounded as the invoice rounded it.
      const whole = 'quantity' in asked && asked.quantity.equals(line.quantity) && !credited.has(asked.line);
      const net = 'quantity' in asked ? (whole ? money(line.net) : cents(asked.quantity.times(line.unitPrice))) : cents(asked.amount);
      const room = left[asked.line]!;
      if (!net.greaterThan(0)) throw new DomainFailure(validationFailed(field, 'must credit at least 0.01'));
      if (!room.greaterThan(0))
        throw new DomainFailure(validationFailed(field, `credits line ${asked.line} (${line.description}), which has nothing left to credit`));
      if (net.greaterThan(room)) {
        throw new DomainFailure(
          validationFailed(field, `credits ${amount(net)}, more than the ${amount(room)} left to credit on line ${asked.line} (${line.description})`),
        );
      }
      credit(asked.line, net, 'quantity' in asked ? asked.quantity : null);
    });
    // Lines that credit back what the invoice gave (a proration's credit) leave less on the whole.
    const total = sum(lines.map((l) => money(l.net)));
    const room = sum(left);
    if (total.greaterThan(room))
      throw new DomainFailure(validationFailed('lines', `credit ${amount(total)}, more than the ${amount(room)} left to credit on the invoice`));
  }
  return { lines, ...totalsOf({ lines, before: creditedByRate(invoice, credited), reverseCharge: invoice.notes.includes(REVERSE_CHARGE_NOTE) }) };
}

/** What earlier notes credited at each VAT rate. */
function creditedByRate(invoice: CreditedInvoice, credited: ReadonlyMap<number, Money>): Map<string, Money> {
  const byRate = new Map<string, Money>();
  for (const [index, net] of credited) {
    const rate = invoice.lines[index]?.taxRate;
    if (rate !== undefined) byRate.set(rate, (byRate.get(rate) ?? ZERO).plus(net));
  }
  return byRate;
}

const taxOn = (net: Money, rate: string) => cents(net.times(rate).dividedBy(100));

/**
 * VAT per rate, rounded as the invoice rounds: the tax on everything credited at the rate once this
 * note is added, less the tax on what was credited before it.
 */
function totalsOf({ lines, before, reverseCharge }: { lines: readonly CreditNoteLine[]; before: ReadonlyMap<string, Money>; reverseCharge: boolean }): Omit<CreditNoteTotals, 'lines'> {
  const rates = [...new Set(lines.map((l) => l.taxRate))];
  const taxes = rates.map((rate) => {
    const net = sum(lines.filter((l) => l.taxRate === rate).map((l) => money(l.net)));
    const earlier = before.get(rate) ?? ZERO;
    return { rate, net, tax: taxOn(earlier.plus(net), rate).minus(taxOn(earlier, rate)) };
  });
  const net = sum(taxes.map((t) => t.net));
  const tax = sum(taxes.map((t) => t.tax));
  return {
    taxes: taxes.map((t) => ({ rate: t.rate, net: fixed(t.net), tax: fixed(t.tax) })),
    net: fixed(net),
    tax: fixed(tax),
    gross: fixed(net.plus(tax)),
    notes: reverseCharge ? [REVERSE_CHARGE_NOTE] : [],
  };
}

/**
 * What of the invoice's settlement a credit note takes back: the nets it credits on lines the
 * invoice settled from the balance, never more than the settlement has left; all that is left
 * once every settled line is credited in full (the settlement is exact, the lines are rounded).
 */
export function unsettledBy({
  invoice,
  settledLines,
  credited,
  note,
  settledLeft,
}: {
  invoice: Pick<CreditedInvoice, 'lines'>;
  settledLines: readonly number[];
  credited: ReadonlyMap<number, Money>;
  note: readonly Pick<CreditNoteLine, 'line' | 'net'>[];
  settledLeft: Money;
}): Money {
  if (settledLines.length === 0 || !settledLeft.greaterThan(0)) return ZERO;
  const settled = new Set(settledLines);
  const after = creditedByLine([{ lines: note }]);
  for (const [line, net] of credited) after.set(line, (after.get(line) ?? ZERO).plus(net));
  const allCredited = settledLines.every((i) => (after.get(i) ?? ZERO).greaterThanOrEqualTo(invoice.lines[i]?.net ?? '0'));
  if (allCredited) return settledLeft;
  return minOf(sum(note.filter((l) => settled.has(l.line)).map((l) => money(l.net))), settledLeft);
}
