// Credit note arithmetic and the book's corrections of an invoice (pure). Golden numbers worked out
// by hand in the comments.
import type { Account } from '../../../server/src/domain/account/Account';
import { creditedByLine, planCreditNote, unsettledBy } from '../../../server/src/domain/invoice/CreditNote';
import { amountDue, invoiceTotals, REVERSE_CHARGE_NOTE } from '../../../server/src/domain/invoice/Invoice';
import { credit, debit, openBook, reverseSettlement, settle } from '../../../server/src/domain/ledger/AccountBook';
import { balanceUnits } from '../../../server/src/domain/recharge/TopUpRequest';
import { DomainFailure } from '../../../server/src/domain/errors';
import { money, ZERO } from '../../../server/src/domain/money';

let n = 0;
const newId = (prefix: string) => `${prefix}_${++n}`;
const march = new Date('2026-03-01T00:00:00Z');

// Starter's March: the plan 59.00, 51.5 minutes at 0.12 (6.18), 1.5 minutes at 0.03 (0.045 → 0.05), a rent 0.80.
const lines = [
  { description: 'Starter plan', quantity: money(1), unit: 'month', unitPrice: money(59) },
  { description: 'Call minutes', quantity: money('51.5'), unit: 'minute', unitPrice: money('0.12') },
  { description: 'Carrier surcharge', quantity: money('1.5'), unit: 'minute', unitPrice: money('0.03') },
  { description: 'Phone number', quantity: money(1), unit: 'rent', unitPrice: money('0.8') },
];
const invoice = { ...invoiceTotals(lines, money(19), false), currency: 'EUR' };
const reverseCharged = { ...invoiceTotals(lines, money(19), true), currency: 'EUR' };
const none = new Map();

function refusal(run: () => unknown) {
  try {
    run();
  } catch (failure) {
    if (failure instanceof DomainFailure) return failure.error;
    throw failure;
  }
  throw new Error('not refused');
}

describe('a credit note', () => {
  test('10.00 net on a 19% invoice reverses 1.90 VAT: 11.90', () => {
    const note = planCreditNote({ invoice, credited: none, request: { lines: [{ line: 0, amount: money('10') }] } });
    expect(note.lines).toEqual([{ line: 0, description: 'Starter plan', quantity: null, unit: 'month', unitPrice: null, net: '10.00', taxRate: '19' }]);
    expect(note).toMatchObject({ taxes: [{ rate: '19', net: '10.00', tax: '1.90' }], net: '10.00', tax: '1.90', gross: '11.90', notes: [] });
  });

  test("many small notes never reverse more VAT than the invoice charged: 33 notes of 0.03 and one of 0.01 on a 1.00 line reverse 0.19 in all", () => {
    const one = { ...invoiceTotals([{ description: 'Call minutes', quantity: money(1), unit: 'minute', unitPrice: money(1) }], money(19), false), currency: 'EUR' };
    expect(one.tax).toBe('0.19');
    const notes: { lines: { line: number; net: string }[]; tax: string }[] = [];
    for (const net of [...Array<string>(33).fill('0.03'), '0.01']) {
      notes.push(planCreditNote({ invoice: one, credited: creditedByLine(notes), request: { lines: [{ line: 0, amount: money(net) }] } }));
    }
    // Each alone would reverse 0.01 (0.0057 rounds up); together they reverse what the invoice charged.
    expect(notes.reduce((total, note) => total.plus(note.tax), ZERO).toFixed(2)).toBe('0.19');
  });

  test("a quantity is credited at the line's unit price, rounded once: 10.5 minutes at 0.12 = 1.26; the whole 1.5 surcharge minutes are the line's 0.05", () => {
    const note = planCreditNote({ invoice, credited: none, request: { lines: [{ line: 1, quantity: money('10.5') }, { line: 2, quantity: money('1.5') }] } });
    expect(note.lines.map((l) => [l.line, l.quantity, l.unitPrice, l.net])).toEqual([
      [1, '10.5', '0.12', '1.26'],
      [2, '1.5', '0.03', '0.05'],
    ]);
    // 1.31 net; 19% = 0.2489 → 0.25; 1.56.
    expect(note).toMatchObject({ net: '1.31', tax: '0.25', gross: '1.56' });
  });

  test('a reverse-charge invoice reverses no VAT and the note repeats why', () => {
    const note = planCreditNote({ invoice: reverseCharged, credited: none, request: { amount: money('20') } });
    expect(note).toMatchObject({ taxes: [{ rate: '0', net: '20.00', tax: '0.00' }], net: '20.00', tax: '0.00', gross: '20.00', notes: [REVERSE_CHARGE_NOTE] });
  });

  test('a whole amount is spread over the lines in their order, each taking what is left on it', () => {
    // Line 0 has 59.00 less 50.00 credited before: 9.00 left; then 6.18 of the minutes; then 0.05, and 0.77 of the rent.
    const credited = creditedByLine([{ lines: [{ line: 0, net: '50.00' }] }]);
    const note = planCreditNote({ invoice, credited, request: { amount: money('16') } });
    expect(note.lines.map((l) => [l.line, l.net])).toEqual([
      [0, '9.00'],
      [1, '6.18'],
      [2, '0.05'],
      [3, '0.77'],
    ]);
    // 16.00 net; 19% = 3.04; 19.04.
    expect(note).toMatchObject({ net: '16.00', tax: '3.04', gross: '19.04' });
  });

  test('never more than is left: per line, and on the whole invoice, naming the field', () => {
    const credited = creditedByLine([{ lines: [{ line: 1, net: '6.00' }] }]);
    expect(refusal(() => planCreditNote({ invoice, credited, request: { lines: [{ line: 1, amount: money('0.19') }] } }))).toMatchObject({
      code: 'validation_failed',
      field: 'lines[0].amount',
      message: 'credits 0.19 EUR, more than the 0.18 EUR left to credit on line 1 (Call minutes)',
    });
    // 51.5 minutes at 0.12 is 6.18, more than the 0.18 left.
    expect(refusal(() => planCreditNote({ invoice, credited, request: { lines: [{ line: 1, quantity: money('51.5') }] } }))).toMatchObject({ field: 'lines[0].quantity' });
    // 66.03 less 6.00 is 60.03.
    expect(refusal(() => planCreditNote({ invoice, credited, request: { amount: money('60.04') } }))).toMatchObject({
      field: 'amount',
      message: 'is 60.04 EUR, more than the 60.03 EUR left to credit on the invoice',
    });
    expect(refusal(() => planCreditNote({ invoice, credited: none, request: { lines: [{ line: 4, amount: money('1') }] } }))).toMatchObject({
      field: 'lines[0].line',
      message: "is 4: the invoice's lines are numbered 0 to 3",
    });
    expect(refusal(() => planCreditNote({ invoice, credited: none, request: { lines: [{ line: 0, amount: money('1') }, { line: 0, amount: money('1') }] } }))).toMatchObject({
      field: 'lines[1].line',
    });
    // A proration credits 474.19 back on its first line: nothing to credit there, and 15.81 on the whole.
    const proration = {
      ...invoiceTotals(
        [
          { description: 'Scale plan not used', quantity: money(1), unit: 'month', unitPrice: money('-474.19') },
          { description: 'Enterprise plan', quantity: money(1), unit: 'month', unitPrice: money(490) },
        ],
        money(19),
        false,
      ),
      currency: 'EUR',
    };
    expect(refusal(() => planCreditNote({ invoice: proration, credited: none, request: { lines: [{ line: 0, amount: money('1') }] } }))).toMatchObject({
      field: 'lines[0].amount',
      message: 'credits line 0 (Scale plan not used), which has nothing left to credit',
    });
    expect(refusal(() => planCreditNote({ invoice: proration, credited: none, request: { lines: [{ line: 1, amount: money('15.82') }] } }))).toMatchObject({
      field: 'lines',
      message: 'credit 15.82 EUR, more than the 15.81 EUR left to credit on the invoice',
    });
    expect(planCreditNote({ invoice: proration, credited: none, request: { amount: money('15.81') } }).lines.map((l) => [l.line, l.net])).toEqual([[1, '15.81']]);
    // 0.01 minutes at 0.12 is 0.0012: nothing at the cent.
    expect(refusal(() => planCreditNote({ invoice, credited: none, request: { lines: [{ line: 1, quantity: money('0.01') }] } }))).toMatchObject({
      field: 'lines[0].quantity',
      message: 'must credit at least 0.01',
    });
  });

  test('takes back of the settlement what it credits on settled lines; all that is left once every settled line is credited', () => {
    // The invoice settled the exact usage and rent: 6.18 + 0.045 + 0.8 = 7.025.
    const settled = { invoice, settledLines: [1, 2, 3], settledLeft: money('7.025') };
    expect(unsettledBy({ ...settled, credited: none, note: [{ line: 0, net: '59.00' }] }).toFixed()).toBe('0');
    expect(unsettledBy({ ...settled, credited: none, note: [{ line: 1, net: '1.26' }] }).toFixed()).toBe('1.26');
    // Everything settled credited: the exact 7.025, not the rounded 7.03.
    expect(unsettledBy({ ...settled, credited: none, note: [{ line: 1, net: '6.18' }, { line: 2, net: '0.05' }, { line: 3, net: '0.80' }] }).toFixed()).toBe('7.025');
    // Earlier notes credited 6.18 and 0.05 (6.23 taken back); this one the rent: the 0.795 left.
    const credited = creditedByLine([{ lines: [{ line: 1, net: '6.18' }, { line: 2, net: '0.05' }] }]);
    expect(unsettledBy({ ...settled, settledLeft: money('0.795'), credited, note: [{ line: 3, net: '0.80' }] }).toFixed()).toBe('0.795');
    expect(unsettledBy({ ...settled, settledLines: [], credited: none, note: [{ line: 1, net: '1.00' }] }).toFixed()).toBe('0');
  });

  test('an unpaid invoice asks its gross less what was credited; a paid or void one nothing', () => {
    expect(amountDue({ status: 'open', gross: '78.58', credited: '11.90' })).toBe('66.68');
    expect(amountDue({ status: 'failed', gross: '78.58', credited: '0.00' })).toBe('78.58');
    expect(amountDue({ status: 'paid', gross: '78.58', credited: '0.00' })).toBe('0.00');
    expect(amountDue({ status: 'void', gross: '78.58', credited: '0.00' })).toBe('0.00');
  });

  test("a refund in credits: 10.00 EUR at 0.40 EUR per 1,000 credits is 25,000 credits; in EUR it is itself; no price, no conversion", () => {
    const priced = { balanceUnit: 'credits', currency: 'EUR', topUps: { expire: 'never' as const, price: { amount: money('0.40'), per: 1000 } } };
    expect(balanceUnits(priced, money('10.00'))!.toFixed()).toBe('25000');
    expect(balanceUnits({ ...priced, balanceUnit: 'EUR' }, money('10.00'))!.toFixed()).toBe('10');
    expect(balanceUnits({ ...priced, topUps: { expire: 'never' } }, money('10.00'))).toBeUndefined();
  });
});

describe("the book's corrections of an invoice", () => {
  const account = (): Account =>
    ({ id: 'a', name: 'A', email: null, metadata: {}, plan: 'starter', interval: 'month', anchor: march, status: 'active', balance: ZERO, debt: ZERO, createdAt: march, billing: {}, paymentIssue: null, planSince: null, scheduledChange: null, resources: {}, endsAt: null, endedAt: null, allowanceExtras: {}, cycleStart: null, cycleEnd: null, spendLimit: null, feePaidUntil: null, locale: 'en-GB', timeZone: 'UTC' }) as Account;

  test('a void takes back the 7.025 settled (unsettlement −7.025) and gives the charges back (void +7.025): the balance and the debt end where they were', () => {
    const book = openBook(account(), []);
    debit(book, { amount: money('7.025'), eventId: 'e1', occurredAt: march, now: march }, newId);
    settle(book, { amount: money('7.025'), reference: 'inv_1', description: 'Invoice CM-2026-000001', occurredAt: march }, newId);
    debit(book, { amount: money('1.15'), eventId: 'e2', occurredAt: march, now: march }, newId);
    reverseSettlement(book, { amount: money('7.025'), reference: 'inv_1', description: 'Invoice CM-2026-000001 void', reason: 'billed twice', occurredAt: march }, newId);
    expect(book.entries.slice(-2).map((e) => [e.kind, e.amount.toFixed(), e.balanceAfter.toFixed(), e.reference, e.reason])).toEqual([
      ['unsettlement', '-7.025', '-8.175', 'inv_1', 'billed twice'],
      ['void', '7.025', '-1.15', 'inv_1', 'billed twice'],
    ]);
    expect([book.account.balance.toFixed(), book.account.debt.toFixed()]).toEqual(['-1.15', '1.15']);
    // The ledger still sums to the balance.
    expect(book.entries.reduce((total, e) => total.plus(e.amount), ZERO).toFixed()).toBe('-1.15');
  });

  test('a refund to the balance is a grant of its own kind, with its reason; it pays a prepaid debt first', () => {
    const book = openBook(account(), []);
    debit(book, { amount: money('3'), eventId: 'e1', occurredAt: march, now: march }, newId);
    const grant = { id: 'grt_r', kind: 'refund' as const, priority: 0, grantedAt: march, expiresAt: null, amount: money('10') };
    const entry = credit(book, { grant, kind: 'refund', reference: 'crn_1', description: 'Credit note CM-CN-2026-000001', reason: 'goodwill' }, newId);
    expect([entry.kind, entry.amount.toFixed(), entry.balanceAfter.toFixed(), entry.reason]).toEqual(['refund', '10', '7', 'goodwill']);
    expect(book.grants.map((g) => [g.kind, g.remaining.toFixed()])).toEqual([['refund', '7']]);
  });
});
