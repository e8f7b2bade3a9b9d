// Explains a charged event: each charge's trace (rate, increments, allowance, once-per-key) and the
// grants that paid it, as JSON (exact) and as sentences a customer can read (see display/forPeople).
import type { PaidFrom, StoredEvent } from '../ingestion/planIngestion';
import type { ChargeJson } from '../rating/Charge';
import { amountForPeople, DISPLAY_DECIMALS, decimalForPeople, perForPeople, quantityForPeople } from '../display/forPeople';

/** `decimals`: the display precision of amounts in `currency` (displayDecimals); rates and quantities show at most four. */
export function chargeSentence(charge: ChargeJson, currency: string, decimals = DISPLAY_DECIMALS): string {
  const q = (value: string) => quantityForPeople(value, charge.unit);
  const parts = [`${charge.name}: ${q(charge.rawQuantity)} measured`];
  if (charge.quantityDetail) parts[0] += ` (${charge.quantityDetail})`;
  if (charge.increments) parts.push(`billed in ${charge.increments} increments as ${q(charge.billedQuantity)}`);
  else if (charge.billedQuantity !== charge.rawQuantity) parts.push(`billed as ${q(charge.billedQuantity)}`);
  if (charge.allowance && charge.allowance.usedUnits === '0') {
    parts.push(`the included ${charge.allowance.meter} were used up`);
  } else if (charge.allowance) {
    parts.push(`${q(charge.allowance.usedUnits)} covered by the included ${charge.allowance.meter} (${quantityForPeople(charge.allowance.used, charge.allowance.unit)})`);
  }
  parts.push(
    `${q(charge.chargeableQuantity)} charged at ${decimalForPeople(charge.rate.amount)} ${currency} per ${perForPeople(charge.unit, charge.rate.per)} = ${amountForPeople(charge.amount, decimals)} ${currency}`,
  );
  return `${parts.join('; ')}.${charge.note ? ` ${charge.note}` : ''}`;
}

const SOURCE_NAMES: Record<PaidFrom['kind'], string> = {
  plan_credits: 'the plan credits',
  topup: 'the top-up',
  adjustment: 'an adjustment',
  refund: 'a refund',
  debt: 'what is owed beyond every grant',
};

/** "Paid from the plan credits grt_1 (100 credits) and the top-up grt_2 (42.5 credits)." */
export function paidFromSentence(paidFrom: readonly PaidFrom[], currency: string, decimals = DISPLAY_DECIMALS): string | undefined {
  if (paidFrom.length === 0) return undefined;
  const parts = paidFrom.map((p) => `${SOURCE_NAMES[p.kind]}${p.grant ? ` ${p.grant}` : ''} (${amountForPeople(p.amount, decimals)} ${currency})`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `Paid from ${list}.`;
}

export function explainEvent(event: StoredEvent, currency: string, decimals = DISPLAY_DECIMALS) {
  const charges = event.charges.map((charge) => ({ ...charge, explanation: chargeSentence(charge, currency, decimals) }));
  const paid = event.paidFrom ? paidFromSentence(event.paidFrom, currency, decimals) : undefined;
  const late = event.billedAt
    ? ` It arrived after its cycle had closed and is billed in the open cycle, as of ${event.billedAt.toISOString()}.`
    : '';
  const summary =
    charges.length === 0
      ? `The ${event.type} event ${event.id} of ${event.timestamp.toISOString()} matched no priced service and cost nothing.`
      : `The ${event.type} event ${event.id} of ${event.timestamp.toISOString()} cost ${amountForPeople(event.cost, decimals)} ${currency}.${late} ${charges.map((c) => c.explanation).join(' ')}${paid ? ` ${paid}` : ''}`;
  return {
    account: event.accountId,
    event: event.id,
    type: event.type,
    timestamp: event.timestamp.toISOString(),
    billedAt: event.billedAt?.toISOString() ?? null,
    data: event.data,
    cost: event.cost,
    currency,
    charges,
    paidFrom: event.paidFrom ?? null,
    summary,
  };
}
