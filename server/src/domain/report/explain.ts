// Explains a charged event: each charge's trace (rate, increments, allowance, once-per-key) as
// JSON and as a sentence a customer can read.
import type { StoredEvent } from '../ingestion/planIngestion';
import type { ChargeJson } from '../rating/Charge';

function per(unit: string, count: number): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

export function chargeSentence(charge: ChargeJson, currency: string): string {
  const parts = [`${charge.name}: ${charge.rawQuantity} ${charge.unit}s measured`];
  if (charge.quantityDetail) parts[0] += ` (${charge.quantityDetail})`;
  if (charge.increments) parts.push(`billed in ${charge.increments} increments as ${charge.billedQuantity} ${charge.unit}s`);
  else if (charge.billedQuantity !== charge.rawQuantity) parts.push(`billed as ${charge.billedQuantity} ${charge.unit}s`);
  if (charge.allowance && charge.allowance.usedUnits === '0') {
    parts.push(`the included ${charge.allowance.meter} were used up`);
  } else if (charge.allowance) {
    parts.push(`${charge.allowance.usedUnits} ${charge.unit}s covered by the included ${charge.allowance.meter} (${charge.allowance.used} ${charge.allowance.unit}s)`);
  }
  parts.push(`${charge.chargeableQuantity} ${charge.unit}s charged at ${charge.rate.amount} ${currency} per ${per(charge.unit, charge.rate.per)} = ${charge.amount} ${currency}`);
  return `${parts.join('; ')}.${charge.note ? ` ${charge.note}` : ''}`;
}

export function explainEvent(event: StoredEvent, currency: string) {
  const charges = event.charges.map((charge) => ({ ...charge, explanation: chargeSentence(charge, currency) }));
  const summary =
    charges.length === 0
      ? `The ${event.type} event ${event.id} of ${event.timestamp.toISOString()} matched no priced service and cost nothing.`
      : `The ${event.type} event ${event.id} of ${event.timestamp.toISOString()} cost ${event.cost} ${currency}. ${charges.map((c) => c.explanation).join(' ')}`;
  return {
    account: event.accountId,
    event: event.id,
    type: event.type,
    timestamp: event.timestamp.toISOString(),
    data: event.data,
    cost: event.cost,
    currency,
    charges,
    summary,
  };
}
