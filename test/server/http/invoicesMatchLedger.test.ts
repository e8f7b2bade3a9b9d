// For any usage, number rentals, plan changes and cycle closings of a postpaid account, the invoices settle
// exactly what the ledger charged in the closed cycles, and each invoice's net differs from the
// exact charges only by the rounding of its lines (half a cent each at most). The next invoice
// shown before a cycle ends is the invoice its closing issues.
import fc from 'fast-check';
import { money, sum } from '../../../server/src/domain/money';
import { startTestServer, type TestServer } from '../support/servers';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-01-01T00:00:00Z');

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('call' as const), seconds: fc.integer({ min: 0, max: 20_000 }), us: fc.boolean() }),
  fc.record({ kind: fc.constant('rent' as const), mobile: fc.boolean() }),
  fc.record({ kind: fc.constant('release' as const) }),
  fc.record({ kind: fc.constant('change' as const), plan: fc.constantFrom('payg', 'starter', 'business') }),
);

describe('invoices against the ledger', () => {
  let server: TestServer;
  let run = 0;
  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'minutes', now: '2026-01-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('settlements equal the charges of the closed cycles; invoice nets equal them up to line rounding', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('payg', 'starter', 'business'), fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), opArb), { minLength: 1, maxLength: 25 }), async (plan, ops) => {
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

        const [charged] = await server.db.query<{ amount: string | null }>(
          `SELECT (-sum(amount))::text AS amount FROM ledger_entries WHERE account_id = $1 AND kind IN ('usage', 'fee') AND occurred_at < '2026-06-01T00:00:00Z'`,
          [account],
        );
        const [settled] = await server.db.query<{ amount: string | null }>(`SELECT sum(amount)::text AS amount FROM ledger_entries WHERE account_id = $1 AND kind = 'settlement'`, [account]);
        expect(money(settled!.amount ?? '0').equals(money(charged!.amount ?? '0'))).toBe(true);

        const invoices = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices as { id: string; net: string; lines: { description: string; net: string }[] }[];
        // An invoice is issued only when it has something to bill.
        expect(invoices.every((i) => i.lines.length > 0)).toBe(true);
        const settlements = await server.db.query<{ reference: string; amount: string }>(`SELECT reference, amount::text FROM ledger_entries WHERE account_id = $1 AND kind = 'settlement'`, [account]);
        for (const invoice of invoices) {
          const fee = invoice.lines.filter((l) => / plan, /.test(l.description)).map((l) => money(l.net));
          const exact = sum([...fee, ...settlements.filter((s) => s.reference === invoice.id).map((s) => money(s.amount))]);
          expect(money(invoice.net).minus(exact).abs().lessThanOrEqualTo(money('0.005').times(invoice.lines.length))).toBe(true);
        }
      }),
      { numRuns: 20 },
    );
  });
});
