// Corrections keep every figure in step, on both stores: after any interleaving of events, voids and
// amendments, the balance equals the ledger's sum, the cost report equals what the ledger charged
// net of what voids gave back, that equals the cost of the events still standing, an allowance's
// used units equal what the standing events took from it, and once a postpaid cycle is invoiced,
// its invoice less the credit notes its corrections issued equals what the ledger still charges.
import fc from 'fast-check';
import { money, sum } from '../../../server/src/domain/money';
import { STORES, startTestServer, type TestServer } from '../support/servers';

const MINUTE = 60 * 1000;
const START = Date.parse('2026-03-02T00:00:00Z');

/** Record a new event, or void or amend the one `pick` chooses among those recorded so far. */
const stepArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('record' as const), kind: fc.constantFrom('chat', 'call', 'sms'), a: fc.nat(5000), minute: fc.nat(600) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('amend' as const), pick: fc.nat(), a: fc.nat(5000) }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function dataFor(kind: string, a: number): Record<string, unknown> {
  if (kind === 'chat') return { input_tokens: a, output_tokens: a % 700 };
  if (kind === 'call') return { duration_seconds: a % 1800 };
  return { direction: 'outbound', segments: 1 + (a % 4) };
}

async function walk(server: TestServer, account: string, steps: readonly Step[], kinds: readonly string[]): Promise<void> {
  const recorded: { id: string; kind: string }[] = [];
  for (const [i, step] of steps.entries()) {
    if (step.op === 'record') {
      const kind = kinds.includes(step.kind) ? step.kind : kinds[0]!;
      const id = `e${i}`;
      const at = new Date(START + step.minute * MINUTE).toISOString();
      const answer = await server.call('POST', '/v1/events', { id, account, type: kind, timestamp: at, data: dataFor(kind, step.a) });
      expect(answer.status).toBe(201);
      recorded.push({ id, kind });
      continue;
    }
    if (recorded.length === 0) continue;
    const target = recorded[step.pick % recorded.length]!;
    const answer =
      step.op === 'void'
        ? await server.call('POST', `/v1/events/${target.id}/void`, { account, reason: `step ${i}` })
        : await server.call('POST', `/v1/events/${target.id}/amend`, { account, data: dataFor(target.kind, step.a), reason: `step ${i}` });
    // Amending a voided event is refused; everything else goes through.
    expect([200, 409]).toContain(answer.status);
  }
}

interface Listed {
  cost: string;
  voidedAt?: string;
  charges: { allowance?: { used: string } }[];
}

async function standingEvents(server: TestServer, account: string): Promise<Listed[]> {
  const events: Listed[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { events: never[]; nextCursor: string | null } } = await server.call('GET', `/v1/events?account=${account}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    events.push(...page.body.events);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return events;
}

describe.each(STORES)('corrections against the ledger on %s', (store) => {
  let run = 0;

  test('prepaid credits: balance, ledger, reports and the standing events agree after any corrections', async () => {
    const server = await startTestServer(store, { catalog: 'credits', now: '2026-03-03T00:00:00Z' });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), fc.constantFrom('never', 'after'), async (steps, fold) => {
          run += 1;
          const account = `acct-${run}`;
          await server.call('POST', '/v1/accounts', { id: account, name: account, plan: 'payg' });
          // Small enough that some walks run into debt, and voids pay it back.
          await server.call('POST', `/v1/accounts/${account}/topups`, { amount: String(2000 * run), reference: 'start' });
          await walk(server, account, steps, ['chat', 'call', 'sms']);
          if (fold === 'after') await server.rollups.check();

          const balance = (await server.call('GET', `/v1/accounts/${account}/balance`)).body.balance as string;
          const [ledger] = await server.db.query<{ total: string; charged: string | null }>(
            `SELECT sum(amount)::text AS total, (-sum(amount) FILTER (WHERE kind IN ('usage', 'void')))::text AS charged FROM ledger_entries WHERE account_id = $1`,
            [account],
          );
          expect(money(balance).equals(money(ledger!.total))).toBe(true);
          const report = (await server.call('GET', `/v1/reports/costs?account=${account}&from=2026-03-01&to=2026-04-01`)).body;
          const charged = money(ledger!.charged ?? '0');
          expect(money(report.totals.amount).equals(charged)).toBe(true);
          const standing = (await standingEvents(server, account)).filter((e) => e.voidedAt === undefined);
          expect(sum(standing.map((e) => money(e.cost))).equals(charged)).toBe(true);
        }),
        { numRuns: 12 },
      );
    } finally {
      await server.stop();
    }
  });

  test("included minutes: the allowance's used units equal what the standing calls took from it", async () => {
    const server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-03T00:00:00Z' });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
          run += 1;
          const account = `clinic-${run}`;
          await server.call('POST', '/v1/accounts', { id: account, name: account, plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
          await walk(server, account, steps, ['call']);
          const minutes = (await server.call('GET', `/v1/accounts/${account}/balance`)).body.allowances[0];
          const standing = (await standingEvents(server, account)).filter((e) => e.voidedAt === undefined);
          const took = sum(standing.flatMap((e) => e.charges.map((c) => money(c.allowance?.used ?? '0'))));
          // The balance shows minutes to six decimals.
          expect(money(minutes.used).minus(took).abs().lessThanOrEqualTo('0.0000005')).toBe(true);
        }),
        { numRuns: 12 },
      );
    } finally {
      await server.stop();
    }
  });

  test('postpaid minutes: after corrections of an invoiced cycle, its invoice less its credit notes equals what the ledger still charges for it', async () => {
    const server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ seconds: fc.integer({ min: 1, max: 18_000 }), hour: fc.nat(400) }), { minLength: 1, maxLength: 12 }),
          fc.array(fc.record({ op: fc.constantFrom('void' as const, 'amend' as const), pick: fc.nat(), seconds: fc.integer({ min: 1, max: 18_000 }) }), { minLength: 1, maxLength: 8 }),
          async (calls, corrections) => {
            run += 1;
            const account = `post-${run}`;
            server.clock.set('2026-03-01T00:00:00Z');
            await server.call('POST', '/v1/accounts', { id: account, name: account, plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
            server.clock.set('2026-03-31T00:00:00Z');
            for (const [i, c] of calls.entries()) {
              const at = new Date(START + c.hour * 60 * MINUTE).toISOString();
              expect((await server.call('POST', '/v1/events', { id: `c${i}`, account, type: 'call', timestamp: at, data: { duration_seconds: c.seconds } })).status).toBe(201);
            }
            server.clock.set('2026-04-01T00:00:01Z');
            expect((await server.call('POST', `/v1/accounts/${account}/cycles/close`)).status).toBe(200);
            for (const [i, c] of corrections.entries()) {
              const id = `c${c.pick % calls.length}`;
              const answer =
                c.op === 'void'
                  ? await server.call('POST', `/v1/events/${id}/void`, { account, reason: `fix ${i}` })
                  : await server.call('POST', `/v1/events/${id}/amend`, { account, data: { duration_seconds: c.seconds }, reason: `fix ${i}` });
              // Amending a voided event is refused; everything else goes through, however small.
              expect([200, 409]).toContain(answer.status);
            }
            const [invoice] = (await server.call('GET', `/v1/accounts/${account}/invoices`)).body.invoices as { id: string }[];
            const [full] = await server.db.query<{ lines: { net: string }[]; settled_lines: number[] }>('SELECT lines, settled_lines FROM invoices WHERE id = $1', [invoice!.id]);
            const notes = (await server.call('GET', `/v1/invoices/${invoice!.id}/credit-notes`)).body.creditNotes as { net: string }[];
            const invoiced = sum(full!.settled_lines.map((i) => money(full!.lines[i]!.net))).minus(sum(notes.map((n) => money(n.net))));
            const [ledger] = await server.db.query<{ settled: string | null }>(
              `SELECT sum(amount)::text AS settled FROM ledger_entries WHERE account_id = $1 AND kind IN ('settlement', 'unsettlement') AND reference = $2`,
              [account, invoice!.id],
            );
            const balance = (await server.call('GET', `/v1/accounts/${account}/balance`)).body.balance as string;
            const [total] = await server.db.query<{ total: string }>('SELECT coalesce(sum(amount), 0)::text AS total FROM ledger_entries WHERE account_id = $1', [account]);
            expect(money(balance).equals(money(total!.total))).toBe(true);
            // Each line rounds once to the cent, and its voids give back its cents, not more; the settlement is exact.
            const tolerance = money('0.005').times(full!.settled_lines.length);
            expect(invoiced.minus(money(ledger!.settled ?? '0')).abs().lessThanOrEqualTo(tolerance)).toBe(true);
          },
        ),
        { numRuns: 10 },
      );
    } finally {
      await server.stop();
    }
  });
});
