// Reports grouped by a dimension the catalog declares (the models catalog's `model`) are read from
// the same rollups as every report: for any usage, voids included, and any whole-hour period, folded
// or not, the groups add up to the ledger's usage debits less what voids gave back.
import { join } from 'node:path';
import fc from 'fast-check';
import { money } from '../../../server/src/domain/money';
import { startTestServer, type TestServer } from '../support/servers';

const HOUR = 60 * 60 * 1000;
const START = Date.parse('2026-03-01T00:00:00Z');
const SPAN_HOURS = 3 * 24;

const eventArb = fc.record({
  hourOffsetMs: fc.integer({ min: 0, max: SPAN_HOURS * HOUR - 1 }),
  kind: fc.constantFrom('chat', 'email'),
  amount: fc.integer({ min: 1, max: 1000 }),
  model: fc.constantFrom(undefined, 'small', 'large'),
  voided: fc.boolean(),
});

describe('cost reports by a declared dimension against the ledger', () => {
  let server: TestServer;
  let run = 0;

  beforeAll(async () => {
    server = await startTestServer('pglite', { catalog: join(__dirname, '../fixtures/models.yaml'), now: '2026-03-04T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test('for any usage and any whole-hour period, the groups by model sum to the usage debits less the voids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: SPAN_HOURS }), fc.integer({ min: 1, max: SPAN_HOURS })), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('model', 'channel,model', 'model,day'),
        fc.boolean(),
        async (events, windows, groupBy, fold) => {
          run += 1;
          const account = `acct-${run}`;
          await server.call('POST', '/v1/accounts', { id: account, name: account, plan: 'payg' });
          await server.call('POST', `/v1/accounts/${account}/topups`, { amount: '10000000', reference: 'start' });
          const batch = events.map((e, i) => ({
            id: `e${i}`,
            account,
            type: e.kind,
            timestamp: new Date(START + e.hourOffsetMs).toISOString(),
            // A chat without a model is priced by no service: the small model stands in.
            data:
              e.kind === 'chat'
                ? { input_tokens: e.amount, output_tokens: 0, model: e.model ?? 'small' }
                : { messages: e.amount, ...(e.model ? { model: e.model } : {}) },
          }));
          expect((await server.call('POST', '/v1/events/batch', { events: batch })).body.accepted).toBe(events.length);
          for (const [i, e] of events.entries()) if (e.voided) await server.call('POST', `/v1/events/e${i}/void`, { account, reason: 'test' });
          if (fold) await server.rollups.check();

          for (const [startHour, length] of windows) {
            const from = new Date(START + startHour * HOUR).toISOString();
            const to = new Date(START + (startHour + length) * HOUR).toISOString();
            const report = (await server.call('GET', `/v1/reports/costs?account=${account}&from=${from}&to=${to}&groupBy=${groupBy}`)).body;
            const [ledger] = await server.db.query<{ net: string | null }>(
              `SELECT (-sum(amount))::text AS net FROM ledger_entries WHERE account_id = $1 AND kind IN ('usage', 'void') AND occurred_at >= $2 AND occurred_at < $3`,
              [account, from, to],
            );
            const groupsTotal = report.groups.reduce((s: ReturnType<typeof money>, g: { amount: string }) => s.plus(g.amount), money(0));
            expect(groupsTotal.equals(money(ledger!.net ?? '0'))).toBe(true);
            // Each model's group holds that model's events alone.
            const byModel = new Map<string, ReturnType<typeof money>>();
            for (const g of report.groups as { model: string | null; amount: string }[])
              byModel.set(g.model ?? '', (byModel.get(g.model ?? '') ?? money(0)).plus(g.amount));
            const expected = new Map<string, ReturnType<typeof money>>();
            for (const e of events) {
              const at = START + e.hourOffsetMs;
              if (e.voided || at < Date.parse(from) || at >= Date.parse(to)) continue;
              // Chat: 40 or 250 credits per 1,000 input tokens; e-mail: 3 credits a message.
              const model = e.kind === 'chat' ? (e.model ?? 'small') : (e.model ?? '');
              const cost =
                e.kind === 'chat'
                  ? money(e.amount)
                      .times(model === 'large' ? 250 : 40)
                      .div(1000)
                  : money(e.amount).times(3);
              expected.set(model, (expected.get(model) ?? money(0)).plus(cost));
            }
            for (const [model, amount] of expected) expect([model, byModel.get(model)?.toFixed()]).toEqual([model, amount.toFixed()]);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
