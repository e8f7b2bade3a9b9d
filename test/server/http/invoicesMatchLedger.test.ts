// For any usage, number rentals, plan changes and cycle closings of a postpaid account, and any voids
// and credit notes of its invoices after, the invoices settle exactly what the ledger charged in the
// closed cycles less what corrections gave back, and each invoice's net less its credit notes
// differs from those exact charges only by the rounding of its lines (half a cent each at most). The
// next invoice shown before a cycle ends is the invoice its closing issues.
import fc from 'fast-check';
import { money, Money, sum } from '../../../server/src/domain/money';
import { startTestServer, type TestServer } from '../support/servers';

const DAY = 24 * 60 * 60 * 1000;

type Invoice = { id: string; net: string; status: string; lines: { description: string; net: string }[] };
const START = Date.parse('2026-01-01T00:00:00Z');

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('call' as const), seconds: fc.integer({ min: 0, max: 20_000 }), us: fc.boolean() }),
  fc.record({ kind: fc.constant('rent' as const), mobile: fc.boolean() }),
  fc.record({ kind: fc.constant('release' as const) }),
  fc.record({ kind: fc.constant('change' as const), plan: fc.constantFrom('payg', 'starter', 'business') }),
);

/** A correction of the account's n-th invoice (modulo how many it has): a void, or a credit note of a share of a line or of the whole. */
const correctionArb = fc.record({
  invoice: fc.nat(10),
  kind: fc.constantFrom('void' as const, 'line' as const, 'amount' as const),
  line: fc.nat(10),
  percent: fc.integer({ min: 1, max: 100 }),
});

describe('invoices against the ledger', () => {
  let server: TestServer;
  let run = 0;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'minutes', now: '2026-01-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('settlements equal the charges of the closed cycles; invoice nets equal them up to line rounding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('payg', 'starter', 'business'),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), opArb), { minLength: 1, maxLength: 25 }),
        fc.array(correctionArb, { maxLength: 6 }),
        async (plan, ops, corrections) => {
        run += 1;
        const account = `acct-${run}`;
        server.clock.set(new Date(START));
        await server.call('POST', '/v1/accounts', { id: account, name: account, plan, anchor: new Date(START).toISOString() });
        const sorted = [...ops].sort((a, b) => a[0] - b[0]);
        let n = 0;
        for (const [day, op] of sorted) {
          const at = new Date(START + day * DAY + 12 * 60 * 60 * 1000);
          server.clock.set(at);
          await server.call('POST', `/v1/accounts/${account}/cycles/close`);
          n += 1;
          if (op.kind === 'call') {
            const data = { duration_seconds: op.seconds, ...(op.us ? { destination_country: 'US' } : {}) };
            await server.call('POST', '/v1/events', { id: `e${n}`, account, type: 'call', timestamp: at.toISOString(), data });
          } else if (op.kind === 'rent') {
            await server.call('POST', `/v1/accounts/${account}/phone-numbers`, { number: `+4930${String(run).padStart(4, '0')}${String(n).padStart(4, '0')}`, type: op.mobile ? 'mobile' : 'local', country: 'DE' });
          } else if (op.kind === 'change') {
            await server.call('POST', `/v1/accounts/${account}/plan-change`, { plan: op.plan });
          } else {
            const numbers = (await server.call('GET', `/v1/accounts/${account}/phone-numbers`)).body.phoneNumbers;
            if (numbers[0]) await server.call('DELETE', `/v1/accounts/${account}/phone-numbers/${numbers[0].id}`);
          }
        }
        // The next invoice shown after the last operation is the one its cycle's closing issues.
        const shown = (await server.call('GET', `/v1/accounts/${account}/upcoming-invoice`)).body;
        const before = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices.length as number;
        server.clock.set(shown.issuesAt);
        await server.call('POST', `/v1/accounts/${account}/cycles/close`);
        const after = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices;
        expect(after.length).toBe(before + (shown.lines.length > 0 ? 1 : 0));
        if (shown.lines.length > 0) {
          const { lines, taxes, net, tax, gross, period } = after[0];
          expect({ lines, taxes, net, tax, gross, period }).toEqual({ lines: shown.lines, taxes: shown.taxes, net: shown.net, tax: shown.tax, gross: shown.gross, period: shown.period });
        }

        // Close every cycle the operations reached (January to May at most).
        server.clock.set('2026-06-01T00:00:00Z');
        await server.call('POST', `/v1/accounts/${account}/cycles/close`);

        // Corrections of the issued invoices: a void, or a credit note of a share of a line or of what
        // is left; one past what is left is refused and writes nothing.
        const issued = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices as Invoice[];
        for (const c of issued.length > 0 ? corrections : []) {
          const invoice = issued[c.invoice % issued.length]!;
          if (c.kind === 'void') {
            expect([200, 422]).toContain((await server.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'property' })).status);
            continue;
          }
          const line = c.line % invoice.lines.length;
          const share = money(c.kind === 'line' ? invoice.lines[line]!.net : invoice.net).times(c.percent).dividedBy(100).toDecimalPlaces(2, Money.ROUND_DOWN);
          if (!share.greaterThan(0)) continue;
          const body = c.kind === 'line' ? { lines: [{ line, amount: share.toFixed(2) }] } : { amount: share.toFixed(2) };
          expect([201, 422]).toContain((await server.call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { ...body, reason: 'property', refund: 'external' })).status);
        }

        // What was charged in the closed cycles, less what corrections gave back (made after them).
        const [charged] = await server.db.query<{ amount: string | null }>(
          `SELECT (-sum(amount))::text AS amount FROM ledger_entries WHERE account_id = $1 AND ((kind IN ('usage', 'fee') AND occurred_at < '2026-06-01T00:00:00Z') OR kind = 'void')`,
          [account],
        );
        const [settled] = await server.db.query<{ amount: string | null }>(
          `SELECT sum(amount)::text AS amount FROM ledger_entries WHERE account_id = $1 AND kind IN ('settlement', 'unsettlement')`,
          [account],
        );
        expect(money(settled!.amount ?? '0').equals(money(charged!.amount ?? '0'))).toBe(true);

        const invoices = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices as Invoice[];
        // An invoice is issued only when it has something to bill.
        expect(invoices.every((i) => i.lines.length > 0)).toBe(true);
        const settlements = await server.db.query<{ reference: string; amount: string }>(
          `SELECT reference, amount::text FROM ledger_entries WHERE account_id = $1 AND kind IN ('settlement', 'unsettlement')`,
          [account],
        );
        const settledLines = new Map(
          (await server.db.query<{ id: string; settled_lines: number[] }>(`SELECT id, settled_lines FROM invoices WHERE account_id = $1`, [account])).map((r) => [r.id, r.settled_lines]),
        );
        for (const invoice of invoices) {
          const settledLeft = sum(settlements.filter((s) => s.reference === invoice.id).map((s) => money(s.amount)));
          // A void invoice bills nothing and settles nothing.
          if (invoice.status === 'void') {
            expect(settledLeft.isZero()).toBe(true);
            continue;
          }
          const notes = (await server.call('GET', `/v1/invoices/${invoice.id}/credit-notes`)).body.creditNotes as { net: string; lines: { line: number; net: string }[] }[];
          const creditedOn = (i: number) => sum(notes.flatMap((n) => n.lines).filter((l) => l.line === i).map((l) => money(l.net)));
          const settledHere = settledLines.get(invoice.id) ?? [];
          const unsettledLines = invoice.lines.map((l, i) => (settledHere.includes(i) ? money(0) : money(l.net).minus(creditedOn(i))));
          const exact = sum([...unsettledLines, settledLeft]);
          const billed = money(invoice.net).minus(sum(notes.map((n) => money(n.net))));
          expect(billed.minus(exact).abs().lessThanOrEqualTo(money('0.005').times(invoice.lines.length))).toBe(true);
        }
      },
      ),
      { numRuns: 20 },
    );
    // The runs corrected invoices both ways.
    const [made] = await server.db.query<{ notes: number; voids: number }>(
      `SELECT (SELECT count(*)::int FROM credit_notes) AS notes, (SELECT count(*)::int FROM invoices WHERE status = 'void') AS voids`,
    );
    expect(made!.notes).toBeGreaterThan(0);
    expect(made!.voids).toBeGreaterThan(0);
  });
});
