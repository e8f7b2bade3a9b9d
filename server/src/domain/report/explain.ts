// Explains a charged event: each charge's trace (rate, increments, allowance, once-per-key) and the
// grants that paid it, as JSON (exact) and as sentences a customer can read, in the account's
// language (see display/localFormat; English when none is given).
import type { PaidFrom, StoredEvent } from '../ingestion/planIngestion';
import type { ChargeJson } from '../rating/Charge';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../display/Locale';
import { localFormat } from '../display/localFormat';

export function chargeSentence(charge: ChargeJson, currency: string, display: DisplaySettings = DEFAULT_DISPLAY): string {
  const f = localFormat(display);
  const t = f.texts.explanation;
  const q = (value: string) => f.quantity(value, charge.unit);
  const parts = [t.measured(charge.name, q(charge.rawQuantity))];
  if (charge.quantityDetail) parts[0] += ` (${charge.quantityDetail})`;
  if (charge.increments) parts.push(t.billedInIncrements(charge.increments, q(charge.billedQuantity)));
  else if (charge.billedQuantity !== charge.rawQuantity) parts.push(t.billedAs(q(charge.billedQuantity)));
  if (charge.allowance && charge.allowance.usedUnits === '0') {
    parts.push(t.allowanceUsedUp(f.texts.meter(charge.allowance.meter)));
  } else if (charge.allowance) {
    parts.push(
      t.coveredBy({
        quantity: q(charge.allowance.usedUnits),
        meter: f.texts.meter(charge.allowance.meter),
        used: f.quantity(charge.allowance.used, charge.allowance.unit),
      }),
    );
  }
  const tiers = charge.tiers;
  if (tiers) {
    const lines = tiers.lines.map((line) => {
      const facts = { tier: line.tier, rate: f.amount(line.rate.amount, currency), per: f.per(charge.unit, line.rate.per) };
      return line.units.startsWith('-')
        ? t.tierTakenBack({ ...facts, quantity: q(line.units.slice(1)), amount: f.amount(line.amount.replace(/^-/, ''), currency) })
        : t.tierLine({ ...facts, quantity: q(line.units), amount: f.amount(line.amount, currency) });
    });
    parts.push(
      t.chargedInTiers({
        mode: tiers.mode,
        quantity: q(charge.chargeableQuantity),
        before: q(tiers.before),
        after: q(tiers.after),
        lines: lines.join(', '),
        amount: f.amount(charge.amount, currency),
      }),
    );
  } else {
    parts.push(
      t.charged({
        quantity: q(charge.chargeableQuantity),
        rate: f.amount(charge.rate.amount, currency),
        per: f.per(charge.unit, charge.rate.per),
        amount: f.amount(charge.amount, currency),
      }),
    );
  }
  if (charge.priceSource === 'account') parts[parts.length - 1] += ` ${t.accountPrice}`;
  return `${parts.join('; ')}.${charge.note ? ` ${charge.note}` : ''}`;
}

/** "Paid from the plan credits grt_1 (100 credits) and the top-up grt_2 (42.5 credits)." */
export function paidFromSentence(paidFrom: readonly PaidFrom[], currency: string, display: DisplaySettings = DEFAULT_DISPLAY): string | undefined {
  if (paidFrom.length === 0) return undefined;
  const f = localFormat(display);
  const t = f.texts.explanation;
  const parts = paidFrom.map((p) => `${t.sources[p.kind]}${p.grant ? ` ${p.grant}` : ''} (${f.amount(p.amount, currency)})`);
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} ${t.and} ${parts[parts.length - 1]}`;
  return t.paidFrom(list);
}

export function explainEvent(event: StoredEvent, currency: string, display: DisplaySettings = DEFAULT_DISPLAY) {
  const f = localFormat(display);
  const t = f.texts.explanation;
  const charges = event.charges.map((charge) => ({ ...charge, explanation: chargeSentence(charge, currency, display) }));
  const paid = event.paidFrom ? paidFromSentence(event.paidFrom, currency, display) : undefined;
  const late = event.billedAt ? t.late(f.instant(event.billedAt)) : '';
  const about = { type: event.type, id: event.id, at: f.instant(event.timestamp) };
  const summary =
    charges.length === 0
      ? t.free(about)
      : `${t.cost({ ...about, cost: f.amount(event.cost, currency) })}${late} ${charges.map((c) => c.explanation).join(' ')}${paid ? ` ${paid}` : ''}${creditedBack(event.cost, (amount) => t.creditedBack(f.amount(amount, currency)))}`;
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

/** A volume tier's negative charge: what went back to the balance, said after the charges. */
function creditedBack(cost: string, say: (amount: string) => string): string {
  return cost.startsWith('-') ? ` ${say(cost.slice(1))}` : '';
}
