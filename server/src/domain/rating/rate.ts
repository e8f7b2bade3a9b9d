// Rating: an event, the catalog, the account's plan and its allowance state in; the charges with
// their traces out, or the reason the event is refused. Pure: no clock, no storage.
import { type Catalog, type Increments, type Interval, type Plan, type Service } from '../catalog/Catalog';
import type { AccountPrices } from '../account/AccountPrices';
import { firstUnitPrice, incrementsInEffect, priceInEffect } from './priceInEffect';
import { tieredCharge } from './tieredPrice';
import { allowanceCovering, coveredUnits, includedUnits, inMeterUnits, remainingUnits } from '../allowance/Allowance';
import { catalogRule, type RatingFailure, type Refusal } from '../refusals';
import type { EventData, EventType } from '../event/UsageEvent';
import { CHARGE_SCALE, money, Money, sum, ZERO } from '../money';
import type { Charge } from './Charge';
import { billedSeconds } from './increments';
import { matches } from './matches';
import { countSmsSegments } from './smsSegments';

export interface RatingContext {
  catalog: Catalog;
  plan: Plan;
  interval: Interval;
  /** Service units of a meter already used in its current period. */
  allowanceUsed: (meter: string) => Money;
  /** How a charge-once group settled this key in the current cycle, if it did. */
  chargedBefore: (group: string, key: string) => OnceSettled | undefined;
  /** When set (authorize), a missing quantity field counts as 0 instead of an error. */
  estimate?: boolean;
  /** The account's own prices, which beat the plan's overrides and the catalog. */
  accountPrices?: AccountPrices;
  /** Chargeable units of a tiered service the current cycle counted before this event (0 when not given). */
  tierQuantity?: (service: string) => Money;
  /** What the cycle was charged for those units; not given (estimates): their price at the tiers in effect. */
  tierCharged?: (service: string) => Money | undefined;
}

/** Chargeable units a tiered service counted for its cycle's tiers, and what they were charged (see tieredPrice). */
export interface TierDraw {
  service: string;
  units: Money;
  amount: Money;
}

/** A draw on an allowance; negative where a unit drawn earlier goes back. */
export interface AllowanceDraw {
  meter: string;
  units: Money;
}

/**
 * How a charge-once key was settled: paid (`coveredBy` null), or taken from an included allowance
 * (`coveredBy` the meter, `units` drawn). A key taken from an allowance becomes a paid one when a
 * service that allowance does not cover comes for it: the unit goes back (model 5: a conversation
 * that took an included suggested-reply unit and then uses autopilot is an autopilot conversation).
 * A key that a free, uncovered service met (the playground on a paid plan) is not settled at all.
 */
export interface OnceSettled {
  coveredBy: string | null;
  units: Money;
}

export type Rating =
  | {
      ok: true;
      charges: Charge[];
      cost: Money;
      allowanceDraws: AllowanceDraw[];
      chargedOnce: ({ group: string; key: string } & OnceSettled)[];
      /** Tiers count the chargeable quantity: what allowances leave to pay for. */
      tierDraws: TierDraw[];
    }
  | { ok: false; error: RatingFailure | Refusal<'catalog_rule'> };

export function rate(type: EventType, data: EventData, context: RatingContext): Rating {
  const { catalog, plan } = context;
  const refusal = catalog.refusals.find((r) => r.event === type && matches(r.when, data));
  if (refusal) return { ok: false, error: catalogRule(refusal) };

  const services = catalog.services.filter((s) => s.event === type && matches(s.when, data));
  if (services.length === 0) {
    return {
      ok: false,
      error: { code: 'unpriced_event', type, message: `The catalog '${catalog.name}' has no price for this ${type} event.` },
    };
  }
  for (const service of services) {
    if (service.feature && !plan.features.includes(service.feature)) {
      return {
        ok: false,
        error: {
          code: 'feature_not_in_plan',
          feature: service.feature,
          plan: plan.code,
          message: `The plan '${plan.code}' does not include ${service.feature}.`,
        },
      };
    }
  }

  // A negative quantity would be a negative charge, whatever the catalog declared: refused, naming the field.
  for (const service of services) {
    const field = negativeField(service, data);
    if (field) return { ok: false, error: { code: 'validation_failed', field: `data.${field}`, message: `data.${field} must not be negative.` } };
  }

  const usedInEvent = new Map<string, Money>();
  const onceInEvent = new Map<string, { group: string; key: string } & OnceSettled>();
  const charges: Charge[] = [];
  const tierDraws: TierDraw[] = [];
  for (const service of services) {
    const measured = measure({ service, data, plan, estimate: context.estimate === true, accountPrices: context.accountPrices });
    if (measured === undefined) continue;
    const onceKey = service.chargeOnce ? data[service.chargeOnce.key] : undefined;
    const inEffect = priceInEffect(service, plan, context.interval, context.accountPrices);
    const rule = inEffect.rule;
    const price = firstUnitPrice(rule);
    const base = {
      service: service.code,
      name: service.name,
      channel: service.channel,
      unit: service.unit,
      rawQuantity: measured.raw,
      billedQuantity: measured.billed,
      ...(measured.increments ? { increments: measured.increments } : {}),
      ...(measured.detail ? { quantityDetail: measured.detail } : {}),
      price,
      ...(inEffect.source === 'account' ? { priceSource: 'account' as const } : {}),
    };

    const allowance = allowanceCovering(plan, service.code);
    let released: { meter: string; units: Money } | undefined;
    if (service.chargeOnce && onceKey !== undefined) {
      const group = service.chargeOnce.group;
      const key = String(onceKey);
      const settled = onceInEvent.get(`${group}\u0000${key}`) ?? context.chargedBefore(group, key);
      if (settled && (settled.coveredBy === null || settled.coveredBy === allowance?.meter)) {
        charges.push({
          ...base,
          chargeableQuantity: ZERO,
          amount: ZERO,
          note:
            settled.coveredBy === null
              ? `Already charged once for ${service.chargeOnce.key} '${key}' in this cycle.`
              : `Already counted once for ${service.chargeOnce.key} '${key}' in the included ${settled.coveredBy} this cycle.`,
        });
        continue;
      }
      // Taken from an allowance that does not cover this service: charged now, and the unit goes
      // back (to an allowance of the plan still; one of a plan left since has nothing to take back).
      const meter = settled?.coveredBy;
      if (meter && plan.allowances.some((a) => a.meter === meter)) released = { meter, units: settled.units };
    }

    let chargeable = measured.billed;
    let allowanceTrace: Charge['allowance'];
    if (allowance) {
      const used = (usedInEvent.get(allowance.meter) ?? ZERO).plus(context.allowanceUsed(allowance.meter));
      const remaining = remainingUnits(includedUnits(allowance, context.interval), used);
      const covered = coveredUnits(remaining, measured.billed);
      if (allowance.whenExhausted !== 'charge' && covered.lessThan(measured.billed)) {
        const included = includedUnits(allowance, context.interval);
        return {
          ok: false,
          error: {
            code: 'allowance_exhausted',
            meter: allowance.meter,
            included: included === 'unlimited' ? 'unlimited' : inMeterUnits(included, allowance).toFixed(),
            message: allowance.whenExhausted.refuse.message,
          },
        };
      }
      usedInEvent.set(allowance.meter, (usedInEvent.get(allowance.meter) ?? ZERO).plus(covered));
      chargeable = measured.billed.minus(covered);
      allowanceTrace = { meter: allowance.meter, unit: allowance.unit, usedUnits: covered, usedInMeterUnits: inMeterUnits(covered, allowance) };
    }

    let amount: Money;
    let tiers: Charge['tiers'];
    if (rule.kind === 'tiered') {
      tiers = tieredCharge(rule.mode, rule.tiers, context.tierQuantity?.(service.code) ?? ZERO, chargeable, context.tierCharged?.(service.code));
      amount = tiers.amount;
      // The unit price the trace leads with: the highest tier the event's units reached.
      const reached = rule.mode === 'graduated' ? tiers.lines[tiers.lines.length - 1] : tiers.lines[0];
      if (reached) base.price = { amount: reached.amount, per: reached.per };
      if (chargeable.greaterThan(0)) tierDraws.push({ service: service.code, units: chargeable, amount });
    } else {
      // Multiply before dividing so that any terminating result stays exact.
      amount = chargeable.times(price.amount).dividedBy(price.per).toDecimalPlaces(CHARGE_SCALE, Money.ROUND_HALF_UP);
    }
    if (released) usedInEvent.set(released.meter, (usedInEvent.get(released.meter) ?? ZERO).minus(released.units));
    if (service.chargeOnce && onceKey !== undefined) {
      const settled = settlementOf(allowanceTrace, chargeable, amount);
      if (settled)
        onceInEvent.set(`${service.chargeOnce.group}\u0000${String(onceKey)}`, { group: service.chargeOnce.group, key: String(onceKey), ...settled });
    }
    const adjustment = tiers?.adjustment;
    const notes = [
      ...(adjustment
        ? [
            `The cycle's ${tiers!.before.toFixed()} units before were charged ${adjustment.isNegative() ? 'less' : 'more'} than their price at the tiers now, by ${adjustment.abs().toFixed()} (a void or a price changed in the cycle): settled in this charge.`,
          ]
        : []),
      ...(released
        ? [
            `${service.chargeOnce!.key} '${String(onceKey)}' had taken an included unit of ${released.meter}; charged now as ${service.name}, and the unit goes back.`,
          ]
        : []),
      ...(service.note ? [service.note] : []),
    ];
    charges.push({
      ...base,
      ...(allowanceTrace ? { allowance: allowanceTrace } : {}),
      chargeableQuantity: chargeable,
      ...(tiers && tiers.lines.length > 0 ? { tiers } : {}),
      amount,
      ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
    });
  }

  return {
    ok: true,
    charges,
    cost: sum(charges.map((c) => c.amount)),
    allowanceDraws: [...usedInEvent].filter(([, units]) => !units.isZero()).map(([meter, units]) => ({ meter, units })),
    chargedOnce: [...onceInEvent.values()],
    tierDraws,
  };
}

/** How a charge settles its charge-once key: from an allowance in full, paid, or (free and uncovered) not at all. */
function settlementOf(allowance: Charge['allowance'], chargeable: Money, amount: Money): OnceSettled | undefined {
  if (allowance && chargeable.isZero() && allowance.usedUnits.greaterThan(0)) return { coveredBy: allowance.meter, units: allowance.usedUnits };
  if (amount.greaterThan(0)) return { coveredBy: null, units: ZERO };
  return undefined;
}

/** The data field whose value would be a negative quantity of the service, if one is. */
function negativeField(service: Service, data: EventData): string | undefined {
  const quantity = service.quantity;
  const field = quantity.type === 'field' || quantity.type === 'duration' ? quantity.field : quantity.type === 'sms_segments' ? 'segments' : undefined;
  if (field === undefined) return undefined;
  const value = data[field];
  return typeof value === 'number' && value < 0 ? field : undefined;
}

interface Measured {
  raw: Money;
  billed: Money;
  increments?: Increments;
  detail?: string;
}

/** The service's quantity for this event; undefined when an optional field is absent. */
function measure({
  service,
  data,
  plan,
  estimate,
  accountPrices,
}: {
  service: Service;
  data: EventData;
  plan: Plan;
  estimate: boolean;
  accountPrices: AccountPrices | undefined;
}): Measured | undefined {
  const quantity = service.quantity;
  switch (quantity.type) {
    case 'per_event':
      return { raw: money(1), billed: money(1) };
    case 'field': {
      const value = data[quantity.field];
      if (typeof value !== 'number') return estimate ? { raw: ZERO, billed: ZERO } : undefined;
      return { raw: money(value), billed: money(value) };
    }
    case 'duration': {
      const increments = incrementsInEffect(service, plan, quantity.increments, accountPrices);
      const value = data[quantity.field];
      if (typeof value !== 'number') return estimate ? { raw: ZERO, billed: ZERO, increments } : undefined;
      const billed = billedSeconds(value, increments, data['answered'] !== false);
      return { raw: money(value), billed: money(billed), increments };
    }
    case 'sms_segments': {
      if (typeof data['text'] === 'string') {
        const { segments, encoding } = countSmsSegments(data['text']);
        return { raw: money(segments), billed: money(segments), detail: `${encoding}, ${[...data['text']].length} characters` };
      }
      if (typeof data['segments'] === 'number') return { raw: money(data['segments']), billed: money(data['segments']) };
      return estimate ? { raw: ZERO, billed: ZERO } : undefined;
    }
  }
}
