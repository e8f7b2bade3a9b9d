// Reports are read from rollups kept at ingestion (increments that wait, and those folded into the
// hourly and daily tables); for any usage and any period, folded or not, they must equal the
// ledger's usage debits to the cent (here: exactly).
import fc from 'fast-check';
import { money } from '../../../server/src/domain/money';
import { startTestServer, type TestServer } from '../support/servers';

const HOUR = 60 * 60 * 1000;
const START = Date.parse('2026-03-01T00:00:00Z');
/** Events fall in the first five days of March, so windows cut through hours and days. */
const SPAN_HOURS = 5 * 24;

const eventArb = fc.record({
  hourOffsetMs: fc.integer({ min: 0, max: SPAN_HOURS * HOUR - 1 }),
  kind: fc.constantFrom('chat', 'call', 'sms'),
  a: fc.nat(20_000),
  b: fc.nat(20_000),
  campaign: fc.constantFrom(undefined, 'spring', 'blast'),
});

describe('cost reports against the ledger', () => {
  let server: TestServer;
  let run = 0;

  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: 'credits', now: '2026-03-06T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('for any usage and any whole-hour period, the report total equals the ledger usage debits of that period', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: SPAN_HOURS }), fc.integer({ min: 1, max: SPAN_HOURS })), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('channel', 'campaign', 'day', 'service,campaign', 'hourless'),
        // Where the rollups are folded: never, after the first half of the events, or after all.
        fc.constantFrom('never', 'between', 'after'),
        async (events, windows, groupBy, fold) => {
          run += 1;
          const account = `acct-${run}`;
          // Some accounts run out of credit part-way: debt is usage too, and must be reported.
          await server.call('POST', '/v1/accounts', { id: account, name: account, plan: 'payg' });
          await server.call('POST', `/v1/accounts/${account}/topups`, { amount: String(1000 * run), reference: 'start' });
          const batch = events.map((e, i) => ({
            id: `e${i}`,
            account,
            type: e.kind,
            timestamp: new Date(START + e.hourOffsetMs).toISOString(),
            data:
              e.kind === 'chat'
                ? { input_tokens: e.a, output_tokens: e.b }
                : e.kind === 'call'
                  ? { duration_seconds: e.a % 3600, direction: 'outbound', ...(e.campaign ? { campaign: e.campaign } : {}) }
                  : { direction: 'outbound', segments: 1 + (e.a % 5), ...(e.campaign ? { campaign: e.campaign } : {}) },
          }));
          const half = Math.ceil(batch.length / 2);
          const first = await server.call('POST', '/v1/events/batch', { events: batch.slice(0, half) });
          if (fold === 'between') await server.rollups.check();
          const rest = batch.length > half ? (await server.call('POST', '/v1/events/batch', { events: batch.slice(half) })).body.accepted : 0;
          if (fold === 'after') await server.rollups.check();
          expect(first.body.accepted + rest).toBe(events.length);

          for (const [startHour, length] of windows) {
            const from = new Date(START + startHour * HOUR).toISOString();
            const to = new Date(START + (startHour + length) * HOUR).toISOString();
            const query = groupBy === 'hourless' ? '' : `&groupBy=${groupBy}`;
            const report = (await server.call('GET', `/v1/reports/costs?account=${account}&from=${from}&to=${to}${query}`)).body;
            const [ledger] = await server.db.query<{ debits: string | null }>(
              `SELECT (-sum(amount))::text AS debits FROM ledger_entries WHERE account_id = $1 AND kind = 'usage' AND occurred_at >= $2 AND occurred_at < $3`,
              [account, from, to],
            );
            const groupsTotal = report.groups.reduce((s: ReturnType<typeof money>, g: { amount: string }) => s.plus(g.amount), money(0));
            expect(money(report.totals.amount).equals(money(ledger!.debits ?? '0'))).toBe(true);
            expect(groupsTotal.equals(money(report.totals.amount))).toBe(true);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
