// Rolls accepted events' charges up into hourly (or daily) rows per reporting dimension: what
// ingestion adds to the report tables, so that a report reads rollups and never scans events.
import type { StoredEvent } from '../ingestion/planIngestion';
import { money, type Money, ZERO } from '../money';

/** The dimensions a rollup row is kept by; together with the account and its hour or day, its key. */
export interface RollupKey {
  accountId: string;
  /** The start of the UTC hour (or day) the event occurred in. */
  at: Date;
  channel: string;
  service: string;
  unit: string;
  /** '' when the event named none. */
  assistant: string;
  campaign: string;
  number: string;
  meter: string;
  /** The catalog's own report dimensions the events carried, as JSON of sorted keys; '' for none. */
  dimensions: string;
}

export interface UsageRollup extends RollupKey {
  meterUnit: string;
  meterUsed: Money;
  charges: number;
  quantity: Money;
  chargeable: Money;
  amount: Money;
}

const HOUR_MS = 60 * 60 * 1000;

export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export function isWholeHour(at: Date): boolean {
  return at.getTime() % HOUR_MS === 0;
}

function label(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The declared dimensions an event carries, in one canonical form: `{"model":"large"}`, or '' for none. */
export function dimensionsOf(data: Readonly<Record<string, unknown>>, dimensions: readonly string[]): string {
  if (dimensions.length === 0) return '';
  const carried = [...dimensions].sort().flatMap((name) => (typeof data[name] === 'string' ? [[name, data[name]] as const] : []));
  return carried.length === 0 ? '' : JSON.stringify(Object.fromEntries(carried));
}

/**
 * The rollup increments of these events, one per key (a statement may upsert a row once only), by
 * the hour they were billed in (the hour they occurred in, unless they arrived after their cycle
 * had closed) or by another bucket such as the UTC day.
 */
export function rollupsOf(
  events: readonly StoredEvent[],
  bucketOf: (at: Date) => Date = hourOf,
  /**
   * The declared report dimensions of each event's account's catalog (eventSchemaFor(catalog).dimensions):
   * one list for all, or the list of an account's catalog version.
   */
  dimensionNames: readonly string[] | ((accountId: string) => readonly string[]) = [],
): UsageRollup[] {
  const namesOf = typeof dimensionNames === 'function' ? dimensionNames : () => dimensionNames;
  const rows = new Map<string, UsageRollup>();
  for (const event of events) {
    const at = bucketOf(event.billedAt ?? event.timestamp);
    const assistant = label(event.data['assistant']);
    const campaign = label(event.data['campaign']);
    const number = label(event.data['number']);
    // As the event was recorded, where it kept them: the account's catalog version may have changed since.
    const dimensions = event.draws?.dimensions ?? dimensionsOf(event.data, namesOf(event.accountId));
    for (const charge of event.charges) {
      const meter = charge.allowance?.meter ?? '';
      const key = [event.accountId, at.getTime(), charge.channel, charge.service, charge.unit, assistant, campaign, number, meter, dimensions].join('\u0000');
      let row = rows.get(key);
      if (!row) {
        row = {
          accountId: event.accountId,
          at,
          channel: charge.channel,
          service: charge.service,
          unit: charge.unit,
          assistant,
          campaign,
          number,
          meter,
          dimensions,
          meterUnit: charge.allowance?.unit ?? '',
          meterUsed: ZERO,
          charges: 0,
          quantity: ZERO,
          chargeable: ZERO,
          amount: ZERO,
        };
        rows.set(key, row);
      }
      row.charges += 1;
      row.quantity = row.quantity.plus(money(charge.billedQuantity));
      row.chargeable = row.chargeable.plus(money(charge.chargeableQuantity));
      row.amount = row.amount.plus(money(charge.amount));
      if (charge.allowance) row.meterUsed = row.meterUsed.plus(money(charge.allowance.used));
    }
  }
  return [...rows.values()];
}

/** A recurring fee as reports see it: one charge on a channel such as phone_numbers. */
export interface FeeCharge {
  accountId: string;
  at: Date;
  channel: string;
  service: string;
  unit: string;
  number: string;
  quantity: Money;
  amount: Money;
}

/** The rollup increments of fees, one per key, like rollupsOf's. */
export function feeRollupsOf(fees: readonly FeeCharge[], bucketOf: (at: Date) => Date = hourOf): UsageRollup[] {
  const rows = new Map<string, UsageRollup>();
  for (const fee of fees) {
    const at = bucketOf(fee.at);
    const key = [fee.accountId, at.getTime(), fee.channel, fee.service, fee.unit, fee.number].join('\u0000');
    const row = rows.get(key);
    if (row) {
      row.charges += 1;
      row.quantity = row.quantity.plus(fee.quantity);
      row.chargeable = row.chargeable.plus(fee.quantity);
      row.amount = row.amount.plus(fee.amount);
      continue;
    }
    rows.set(key, {
      accountId: fee.accountId,
      at,
      channel: fee.channel,
      service: fee.service,
      unit: fee.unit,
      assistant: '',
      campaign: '',
      number: fee.number,
      meter: '',
      dimensions: '',
      meterUnit: '',
      meterUsed: ZERO,
      charges: 1,
      quantity: fee.quantity,
      chargeable: fee.quantity,
      amount: fee.amount,
    });
  }
  return [...rows.values()];
}
