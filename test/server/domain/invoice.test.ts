// Invoice arithmetic and numbering (pure). Golden numbers worked out by hand in the comments.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { findPlan } from '../../../server/src/domain/catalog/Catalog';
import { invoiceNumber, invoiceTotals, REVERSE_CHARGE_NOTE } from '../../../server/src/domain/invoice/Invoice';
import { cycleInvoiceLines } from '../../../server/src/domain/invoice/cycleInvoice';
import { planFeeLine } from '../../../server/src/domain/plan/PlanFee';
import { money } from '../../../server/src/domain/money';

const line = (quantity: string, unitPrice: string, amount?: string) => ({
  description: 'x',
  quantity: money(quantity),
  unit: 'unit',
  unitPrice: money(unitPrice),
  ...(amount ? { amount: money(amount) } : {}),
});

describe('invoice totals', () => {
  test('each line rounds once, half up, to the cent; VAT on the sum of the rounded lines', () => {
    // 0.045 → 0.05; 3 × 0.333 = 0.999 → 1.00; net 1.05; 19% = 0.1995 → 0.20; gross 1.25.
    const totals = invoiceTotals([line('1.5', '0.03'), line('3', '0.333')], money(19), false);
    expect(totals.lines.map((l) => l.net)).toEqual(['0.05', '1.00']);
    expect(totals).toMatchObject({ net: '1.05', tax: '0.20', gross: '1.25', taxes: [{ rate: '19', net: '1.05', tax: '0.20' }], notes: [] });
  });

  test("a line's exact amount wins over quantity × unit price", () => {
    // 51.5 minutes at 0.12 is 6.18; a given exact 6.174999 rounds to 6.17.
    expect(invoiceTotals([line('51.5', '0.12', '6.174999')], money(19), false).lines[0]!.net).toBe('6.17');
  });

  test('reverse charge: no VAT, and the note that says who owes it', () => {
    const totals = invoiceTotals([line('1', '199')], money(19), true);
    expect(totals).toMatchObject({ net: '199.00', tax: '0.00', gross: '199.00', taxes: [{ rate: '0', tax: '0.00' }], notes: [REVERSE_CHARGE_NOTE] });
  });

  test('no lines, no taxes', () => {
    expect(invoiceTotals([], money(19), false)).toMatchObject({ net: '0.00', tax: '0.00', gross: '0.00', taxes: [] });
  });
});

describe('invoice numbers', () => {
  const at = new Date('2026-04-01T00:00:00Z');
  test.each([
    ['{PREFIX}-{YYYY}-{SEQ:6}', 'CM', 42, 'CM-2026-000042'],
    ['{PREFIX}{YYYY}{MM}-{SEQ}', 'RE', 7, 'RE202604-7'],
    ['INV/{SEQ:4}', 'X', 12345, 'INV/12345'],
  ])('%s with %s and %i is %s', (format, prefix, sequence, expected) => {
    expect(invoiceNumber({ format, prefix, sequence, issuedAt: at })).toBe(expected);
  });
});

describe('the lines of a closed cycle', () => {
  const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };

  test('postpaid minutes: the plan fee given, the overage priced at the plan rate, the rents; the usage and rents settled', () => {
    const catalog = loadCatalog('minutes');
    const { lines, settles } = cycleInvoiceLines({
      catalog,
      plan: findPlan(catalog, 'starter')!,
      interval: 'month',
      cycle: march,
      usage: [
        { service: 'carrier_surcharge', unit: 'second', chargeable: money(90), amount: money('0.045') },
        { service: 'call_minutes', unit: 'second', chargeable: money(3090), amount: money('6.18') },
      ],
      fees: [{ description: 'Phone number +12125550123 (local, US), 2026-03-10 – 2026-03-31', amount: money('0.8') }],
      planFees: [planFeeLine({ plan: findPlan(catalog, 'starter')!, interval: 'month', cycle: march, from: march.start, to: march.end })!],
    });
    expect(lines.map((l) => [l.description, l.quantity.toFixed(), l.unit, l.unitPrice.toFixed()])).toEqual([
      ['Starter plan, 2026-03-01 – 2026-03-31', '1', 'month', '59'],
      ['Call minutes, 2026-03-01 – 2026-03-31', '51.5', 'minute', '0.12'],
      ['Carrier surcharge, 2026-03-01 – 2026-03-31', '1.5', 'minute', '0.03'],
      ['Phone number +12125550123 (local, US), 2026-03-10 – 2026-03-31', '1', 'rent', '0.8'],
    ]);
    expect(settles.toFixed()).toBe('7.025');
  });

  test('a rate that does not explain the amount (the plan changed) shows the average unit price', () => {
    const catalog = loadCatalog('minutes');
    const { lines } = cycleInvoiceLines({
      catalog,
      plan: findPlan(catalog, 'starter')!,
      interval: 'month',
      cycle: march,
      usage: [{ service: 'call_minutes', unit: 'second', chargeable: money(600), amount: money('1.35') }],
      fees: [],
    });
    // 10 minutes for 1.35: 0.135 a minute.
    expect(lines[0]!.unitPrice.toFixed()).toBe('0.135');
  });

  test("an account's own rate prints as it is: 10 minutes at 0.1234567 a minute, not the average rounded to 0.123457", () => {
    const catalog = loadCatalog('minutes');
    const usage = [{ service: 'call_minutes', unit: 'second', chargeable: money(600), amount: money('1.234567') }];
    const { lines } = cycleInvoiceLines({
      catalog,
      plan: findPlan(catalog, 'starter')!,
      interval: 'month',
      cycle: march,
      usage,
      fees: [],
      accountPrices: { call_minutes: { price: { amount: money('0.1234567'), per: 60 } } },
    });
    // 10 x 0.1234567 = 1.234567: the line multiplies out, as an e-invoice's must.
    expect([lines[0]!.quantity.toFixed(), lines[0]!.unitPrice.toFixed(), lines[0]!.amount?.toFixed()]).toEqual(['10', '0.1234567', '1.234567']);
  });

  test('prepaid credits: only the plan fee given, nothing settled', () => {
    const catalog = loadCatalog('credits');
    const starter = findPlan(catalog, 'starter')!;
    const { lines, settles } = cycleInvoiceLines({
      catalog,
      plan: starter,
      interval: 'month',
      cycle: march,
      usage: [{ service: 'call_connection', unit: 'second', chargeable: money(90), amount: money('142.5') }],
      fees: [],
      planFees: [planFeeLine({ plan: starter, interval: 'month', cycle: march, from: march.start, to: march.end })!],
    });
    expect(lines.map((l) => [l.description, l.unitPrice.toFixed()])).toEqual([['Starter plan, 2026-03-01 – 2026-03-31', '49']]);
    expect(settles.toFixed()).toBe('0');
  });
});
