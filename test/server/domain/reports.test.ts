// The pure parts of reporting: rollups, periods, the forecast and spikes.
import type { StoredEvent } from '../../../server/src/domain/ingestion/planIngestion';
import { money } from '../../../server/src/domain/money';
import { resolvePeriod } from '../../../server/src/domain/report/ReportPeriod';
import { forecastCycle } from '../../../server/src/domain/report/forecast';
import { findSpikes } from '../../../server/src/domain/report/spikes';
import { rollupsOf } from '../../../server/src/domain/report/UsageRollup';
import { rollupSpans } from '../../../server/src/domain/report/rollupSpans';

const charge = (service: string, amount: string, extra: object = {}) => ({
  service,
  name: service,
  channel: 'voice',
  unit: 'second',
  rawQuantity: '90',
  billedQuantity: '90',
  chargeableQuantity: '90',
  rate: { amount: '0.15', per: 60 },
  amount,
  ...extra,
});

const event = (id: string, at: string, data: object, charges: ReturnType<typeof charge>[]): StoredEvent => ({
  accountId: 'a',
  id,
  type: 'call',
  timestamp: new Date(at),
  data: data as StoredEvent['data'],
  cost: '0',
  charges: charges as StoredEvent['charges'],
  recordedAt: new Date(at),
});

describe('usage rollups', () => {
  test('events of the same hour and dimensions add up into one row; another campaign or hour is another row', () => {
    const rows = rollupsOf([
      event('1', '2026-03-01T10:05:00Z', { campaign: 'spring' }, [charge('call_minutes', '0.225')]),
      event('2', '2026-03-01T10:55:00Z', { campaign: 'spring' }, [charge('call_minutes', '0.15')]),
      event('3', '2026-03-01T10:30:00Z', { campaign: 'blast' }, [charge('call_minutes', '0.15')]),
      event('4', '2026-03-01T11:00:00Z', { campaign: 'spring' }, [charge('call_minutes', '0.15')]),
    ]);
    expect(rows.map((r) => [r.at.toISOString(), r.campaign, r.charges, r.amount.toFixed(), r.quantity.toFixed()])).toEqual([
      ['2026-03-01T10:00:00.000Z', 'spring', 2, '0.375', '180'],
      ['2026-03-01T10:00:00.000Z', 'blast', 1, '0.15', '90'],
      ['2026-03-01T11:00:00.000Z', 'spring', 1, '0.15', '90'],
    ]);
  });

  test('included minutes used are kept per meter, and the chargeable part apart from the billed quantity', () => {
    const [row] = rollupsOf([
      event('1', '2026-03-01T10:05:00Z', {}, [
        charge('call_minutes', '0', { chargeableQuantity: '0', allowance: { meter: 'minutes', unit: 'minute', used: '1.5', usedUnits: '90' } }),
      ]),
    ]);
    expect(row).toMatchObject({ meter: 'minutes', meterUnit: 'minute', assistant: '', campaign: '', number: '' });
    expect([row!.meterUsed.toFixed(), row!.quantity.toFixed(), row!.chargeable.toFixed()]).toEqual(['1.5', '90', '0']);
  });
});

describe('report periods', () => {
  const account = { anchor: new Date('2026-01-31T00:00:00Z'), interval: 'month' as const };
  const now = new Date('2026-03-10T12:00:00Z');

  test('on March 10 the previous cycle of an anchor on the 31st runs from January 31 to February 28', () => {
    expect(resolvePeriod({ period: 'previous_cycle' }, account, now)).toEqual({
      ok: true,
      from: new Date('2026-01-31T00:00:00Z'),
      to: new Date('2026-02-28T00:00:00Z'),
    });
    expect(resolvePeriod({ period: 'current_cycle' }, account, now)).toMatchObject({ from: new Date('2026-02-28T00:00:00Z'), to: new Date('2026-03-31T00:00:00Z') });
  });

  test('the current cycle after March 31 starts on the 31st again', () => {
    expect(resolvePeriod({ period: 'current_cycle' }, account, new Date('2026-04-02T00:00:00Z'))).toMatchObject({
      from: new Date('2026-03-31T00:00:00Z'),
      to: new Date('2026-04-30T00:00:00Z'),
    });
  });

  test('explicit periods must be whole hours, in order', () => {
    expect(resolvePeriod({ from: new Date('2026-03-01T00:30:00Z'), to: new Date('2026-03-02T00:00:00Z') }, undefined, now)).toMatchObject({
      ok: false,
      error: { field: 'from' },
    });
    expect(resolvePeriod({ from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') }, undefined, now)).toMatchObject({
      ok: false,
      error: { field: 'to' },
    });
  });
});

describe('the cycle forecast', () => {
  const cycle = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };

  test('45 EUR in the first 9 days of a 30-day cycle is 5 EUR a day and 150 EUR at the end', () => {
    expect(forecastCycle({ cycle, now: new Date('2026-04-10T00:00:00Z'), usageSoFar: money('45') })).toMatchObject({
      costSoFar: '45',
      runRatePerDay: '5.00',
      forecast: '150.00',
      elapsed: '0.3',
    });
  });

  test('a number rented for 10 EUR is counted once, not run forward: 45 EUR of usage and 10 of rent in 9 days is 160 EUR', () => {
    expect(forecastCycle({ cycle, now: new Date('2026-04-10T00:00:00Z'), usageSoFar: money('45'), feesSoFar: money('10') })).toMatchObject({
      costSoFar: '55',
      usageSoFar: '45',
      feesSoFar: '10',
      runRatePerDay: '5.00',
      forecast: '160.00',
    });
  });

  test('in the first hour the forecast is only what is known', () => {
    expect(forecastCycle({ cycle, now: new Date('2026-04-01T00:30:00Z'), usageSoFar: money('2') })).toMatchObject({ forecast: '2.00', runRatePerDay: '0.00' });
  });
});

describe('spikes', () => {
  const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
  const day = (d: string, amount: string, campaign = '') => ({ day: d, amount: money(amount), channel: 'voice', campaign, number: '', assistant: '' });

  test('a day above three times the median of the others is a spike; a merely busy day is not', () => {
    const spikes = findSpikes(days, [day('2026-03-01', '10'), day('2026-03-02', '12'), day('2026-03-03', '29'), day('2026-03-04', '10'), day('2026-03-05', '90', 'blast')], 3);
    expect(spikes.map((s) => [s.day, s.baseline, s.times])).toEqual([['2026-03-05', '11', '8.2']]);
    expect(spikes[0]!.drivers.find((d) => d.dimension === 'campaign')).toEqual({ dimension: 'campaign', value: 'blast', amount: '90', share: '1' });
  });

  test('days without usage count as zero-cost days: the first usage after a quiet window is a spike', () => {
    expect(findSpikes(days, [day('2026-03-05', '1')], 3).map((s) => [s.day, s.baseline, s.times])).toEqual([['2026-03-05', '0', null]]);
  });
});

describe('which rollups answer a period', () => {
  const at = (iso: string) => new Date(iso);
  const iso = (span: { from: Date; to: Date }) => [span.from.toISOString(), span.to.toISOString()];

  test('a cycle from midnight to midnight is read from daily rollups alone', () => {
    const spans = rollupSpans(at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z'));
    expect(spans.days && iso(spans.days)).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(spans.hours).toEqual([]);
  });

  test('a cycle anchored at 15:00 reads the hours of its first and last day and whole days between', () => {
    const spans = rollupSpans(at('2026-01-31T15:00:00Z'), at('2026-02-28T15:00:00Z'));
    expect(spans.days && iso(spans.days)).toEqual(['2026-02-01T00:00:00.000Z', '2026-02-28T00:00:00.000Z']);
    expect(spans.hours.map(iso)).toEqual([
      ['2026-01-31T15:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02-28T00:00:00.000Z', '2026-02-28T15:00:00.000Z'],
    ]);
  });

  test('a period inside one day, or across one midnight without a whole day, is read by the hour', () => {
    expect(rollupSpans(at('2026-03-01T10:00:00Z'), at('2026-03-01T12:00:00Z'))).toEqual({ days: undefined, hours: [{ from: at('2026-03-01T10:00:00Z'), to: at('2026-03-01T12:00:00Z') }] });
    expect(rollupSpans(at('2026-03-01T22:00:00Z'), at('2026-03-02T03:00:00Z')).days).toBeUndefined();
    expect(rollupSpans(at('2026-03-01T22:00:00Z'), at('2026-03-01T22:00:00Z')).hours).toEqual([]);
  });
});
