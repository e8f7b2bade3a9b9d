// The lines of a closed cycle's invoice: the plan fees (PlanFee decides which) and add-ons; for a
// postpaid plan whose balance counts in the invoice currency, also the cycle's usage by service
// and the fees (number rents) charged in it, which the invoice then settles. Prepaid usage was
// paid for with the balance, so it is not billed again. Last, for each allowance the cycle drew on,
// a line at 0.00 saying what the plan covered ("500 of 500 minutes used"): it changes no total.
import type { AccountPrices } from '../account/AccountPrices';
import { type Catalog, type Interval, type Plan } from '../catalog/Catalog';
import { priceInEffect } from '../rating/priceInEffect';
import type { Cycle } from '../cycle/Cycle';
import { described, type LineText } from './LineText';
import { minOf, money, Money, sum, ZERO } from '../money';
import type { LineInput } from './Invoice';
import { perForPeople } from '../display/forPeople';

export interface ServiceUsage {
  service: string;
  unit: string;
  /** Units charged beyond allowances. */
  chargeable: Money;
  amount: Money;
}

/** What the cycle drew on one of its plan's allowances, in the allowance's unit (minutes, not seconds). */
export interface IncludedUse {
  unit: string;
  used: Money;
  included: Money | 'unlimited';
}

export interface ChargedFee {
  /** As the ledger recorded it, in English. */
  description: string;
  /** What it was for, where known (a number's rent), for its words in other languages. */
  text?: LineText;
  amount: Money;
}


/** Unit prices that do not terminate are printed to six decimals; the line's net stays exact. */
const UNIT_PRICE_DECIMALS = 6;

/** Whether the cycle's usage and fees are billed on the invoice (and settled from the balance). */
export function billsUsage(catalog: Pick<Catalog, 'balanceUnit' | 'currency'>, plan: Pick<Plan, 'billing'>): boolean {
  return plan.billing === 'postpaid' && catalog.balanceUnit === catalog.currency;
}

export function cycleInvoiceLines(input: {
  catalog: Pick<Catalog, 'services' | 'balanceUnit' | 'currency'>;
  plan: Plan;
  interval: Interval;
  cycle: Cycle;
  usage: readonly ServiceUsage[];
  fees: readonly ChargedFee[];
  /** The plan fee lines (see PlanFee): the closed cycle's, the next one's paid ahead. */
  planFees?: readonly LineInput[];
  addOns?: readonly { name: string; quantity: number; unitPrice: Money }[];
  /** The cycle's allowances (add-on packs included), for the informational lines. */
  included?: readonly IncludedUse[];
  /** The account's own prices: its rate is the one its lines print. */
  accountPrices?: AccountPrices | undefined;
}): { lines: LineInput[]; settles: Money; settledLines: number[] } {
  const { catalog, plan, interval, cycle, usage, fees, planFees = [], addOns = [], included = [] } = input;
  const lines: LineInput[] = [...planFees];
  for (const a of addOns) {
    if (a.unitPrice.greaterThan(0))
      lines.push({ ...described({ kind: 'addOn', name: a.name, period: cycle }), quantity: money(a.quantity), unit: 'pack', unitPrice: a.unitPrice });
  }
  if (!billsUsage(catalog, plan)) return { lines: withIncludedLines(lines, included, cycle), settles: ZERO, settledLines: [] };
  // The usage and rent lines come last: the ones the invoice settles from the balance.
  const settledFrom = lines.length;

  const billed = usage.filter((u) => u.amount.greaterThan(0)).sort((a, b) => b.amount.comparedTo(a.amount) || a.service.localeCompare(b.service));
  for (const u of billed) {
    const service = catalog.services.find((s) => s.code === u.service);
    // A tiered price (or one of the account's) has no one rate to print: its line shows the average unit price.
    const rule = service ? priceInEffect(service, plan, interval, input.accountPrices).rule : undefined;
    const per = rule?.kind === 'flat' ? rule.per : 1;
    const rate = rule?.kind === 'flat' ? rule.amount : undefined;
    const quantity = u.chargeable.dividedBy(per);
    // The plan's rate when it explains the amount; otherwise (a rate changed within the cycle) the average.
    const unitPrice =
      rate && quantity.times(rate).minus(u.amount).abs().lessThan('1e-12')
        ? rate
        : u.amount.dividedBy(quantity).toDecimalPlaces(UNIT_PRICE_DECIMALS, Money.ROUND_HALF_UP);
    lines.push({
      ...described({ kind: 'usage', service: service?.name ?? u.service, period: cycle }),
      quantity,
      // What the quantity counts: a per-minute rate's quantity is in minutes, not in 60 seconds.
      unit: perForPeople(u.unit, per),
      unitPrice,
      amount: u.amount,
    });
  }
  for (const f of fees)
    lines.push({ description: f.description, ...(f.text ? { text: f.text } : {}), quantity: money(1), unit: 'rent', unitPrice: f.amount, amount: f.amount });
  const settledLines = Array.from({ length: lines.length - settledFrom }, (_, i) => settledFrom + i);
  return { lines: withIncludedLines(lines, included, cycle), settles: sum([...billed.map((u) => u.amount), ...fees.map((f) => f.amount)]), settledLines };
}

/**
 * The lines with, after them, one line at 0.00 per allowance the cycle drew on: "Included minutes,
 * 2026-03-01 – 2026-03-31: 500 of 500 minutes used" (what was used beyond is billed above). Last,
 * so that the charged lines keep their numbers; none where nothing else is invoiced.
 */
function withIncludedLines(lines: LineInput[], included: readonly IncludedUse[], cycle: Cycle): LineInput[] {
  if (lines.length === 0) return lines;
  const informational = included
    .filter((i) => i.used.greaterThan(0))
    .map((i): LineInput => {
      const covered = i.included === 'unlimited' ? i.used : minOf(i.used, i.included);
      return {
        ...described({ kind: 'included', unit: i.unit, period: cycle, used: covered, included: i.included }),
        quantity: covered,
        unit: i.unit,
        unitPrice: ZERO,
        amount: ZERO,
      };
    });
  return [...lines, ...informational];
}
