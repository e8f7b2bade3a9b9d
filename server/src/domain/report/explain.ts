// Explains a charged event: each charge's trace (rate, increments, allowance, once-per-key) and the
// grants that paid it, as JSON and as sentences a customer can read.
import type { PaidFrom, StoredEvent } from '../ingestion/planIngestion';
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

const SOURCE_NAMES: Record<PaidFrom['kind'], string> = { plan_credits: 'the plan credits', topup: 'the top-up', debt: 'what is owed beyond every grant' };

/** "Paid from the plan credits grt_1 (100 credits) and the top-up grt_2 (42.5 credits)." */
export function paidFromSentence(paidFrom: readonly PaidFrom[], currency: string): string | undefined {
  if (paidFrom.length === 0) return undefined;
  const parts = paidFrom.map((p) => `${SOURCE_NAMES[p.kind]}${p.grant ? ` ${p.grant}` : ''} (${p.amount} ${currency})`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `Paid from ${list}.`;
}

export function explainEvent(event: StoredEvent, currency: string) {
  const charges = event.charges.map((charge) => ({ ...charge, explanation: chargeSentence(charge, currency) }));
  const paid = event.paidFrom ? paidFromSentence(event.paidFrom, currency) : undefined;
  const late = event.billedAt
    ? ` It arrived after its cycle had closed and is billed in the open cycle, as of ${event.billedAt.toISOString()}.`
    : '';
  const summary =
    charges.length === 0
      ? `The ${event.type} event ${event.id} of ${event.timestamp.toISOString()} matched no priced service and cost nothing.`
      : `The ${event.type} event ${event.id} of ${event.timestamp.toISOString()} cost ${event.cost} ${currency}.${late} ${charges.map((c) => c.explanation).join(' ')}${paid ? ` ${paid}` : ''}`;
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
