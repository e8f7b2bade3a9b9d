// Balance adjustments through the API, on both stores (issue 23): an operator credits or debits an
// account's balance, saying why; the status follows as after a top-up or usage; the same reference
// again answers the first adjustment; a debit may take the balance to zero and no further. Credits
// preset (DOMAIN.md model 2): Pay as you go is prepaid, a chat input token costs 0.04 credits.
import { STORES, startTestServer, type TestServer } from '../support/servers';

const NOW = '2026-03-10T09:00:00Z';
const OUTAGE = 'Goodwill: the outage on 9 March';
const TWICE = 'Call e1 was reported twice';
const chat = (id: string, account: string, inputTokens: number, timestamp: string) => ({
  id,
  account,
  type: 'chat',
  timestamp,
  data: { input_tokens: inputTokens, output_tokens: 0 },
});
const links = (account: string) => ({
  account: `/v1/accounts/${account}`,
  balance: `/v1/accounts/${account}/balance`,
  ledger: `/v1/accounts/${account}/ledger`,
});

describe.each(STORES)('balance adjustments on %s', (store) => {
  let server: TestServer;
  let first: any;
  const adjust = (account: string, body: unknown) => server.call('POST', `/v1/accounts/${account}/adjustments`, body);

  /** Everything an adjustment could write: a request that writes nothing leaves each count as it was. */
  const written = async () =>
    (
      await server.db.query<{ counts: string }>(
        `SELECT concat_ws(' ', (SELECT count(*) FROM ledger_entries), (SELECT count(*) FROM grants), (SELECT count(*) FROM adjustments),
           (SELECT count(*) FROM outbox_messages), (SELECT string_agg(id || ':' || balance || ':' || status, ',' ORDER BY id) FROM accounts)) AS counts`,
      )
    )[0]!.counts;
  /** The messages about `account` from the `from`-th on, as [type, data]. */
  const messages = async (account: string, from = 0) =>
    (await server.db.query<{ type: string; data: any }>(`SELECT type, data FROM outbox_messages WHERE account_id = $1 ORDER BY occurred_at, id`, [account]))
      .slice(from)
      .map((m) => [m.type, m.data] as const);
  const messageCount = async (account: string) => (await messages(account)).length;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'cafe', name: 'Café Rösterei', plan: 'payg', anchor: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/alert-rules', { account: 'cafe', kind: 'balance_below', thresholds: ['50'] });
    await server.call('POST', '/v1/accounts/cafe/topups', { amount: '100', reference: 'pay-1' });
    server.clock.set(NOW);
    // 5,000 input tokens at 0.04 credits: 200 credits, so 100 - 200 = -100, and the account pauses.
    expect((await server.call('POST', '/v1/events', chat('e1', 'cafe', 5000, NOW))).body).toMatchObject({ status: 'accepted', cost: '200' });
    expect((await server.call('GET', '/v1/accounts/cafe/balance')).body).toMatchObject({ balance: '-100', status: 'paused' });
  });
  afterAll(() => server.stop());

  test('a credit of 500 credits lifts the paused account from -100 to 400 and resumes it: a grant of kind adjustment, one entry saying why', async () => {
    const before = await messageCount('cafe');
    const credited = await adjust('cafe', { amount: '500', reason: `  ${OUTAGE} `, reference: 'outage-march' });
    expect(credited.status).toBe(201);
    first = credited.body;
    const { id, grantId } = first.adjustment;
    expect(id).toMatch(/^adj_/);
    expect(grantId).toMatch(/^grt_/);
    expect(first).toEqual({
      adjustment: {
        id,
        account: 'cafe',
        amount: '500',
        reason: OUTAGE,
        reference: 'outage-march',
        expiresAt: null,
        grantId,
        keyId: 'admin',
        createdAt: '2026-03-10T09:00:00.000Z',
      },
      entries: [
        {
          id: expect.stringMatching(/^led_/),
          kind: 'adjustment',
          amount: '500',
          balanceAfter: '400',
          grantId,
          eventId: null,
          reference: 'outage-march',
          description: 'Adjustment outage-march',
          reason: OUTAGE,
          occurredAt: '2026-03-10T09:00:00.000Z',
          recordedAt: '2026-03-10T09:00:00.000Z',
          keyId: 'admin',
        },
      ],
      balance: '400',
      status: 'active',
      duplicate: false,
    });
    // The 100 owed is paid back first: the grant keeps 400 of its 500.
    const balance = (await server.call('GET', '/v1/accounts/cafe/balance')).body;
    expect(balance).toMatchObject({ balance: '400', status: 'active' });
    expect(balance.grants.find((g: any) => g.id === grantId)).toMatchObject({ amount: '500', remaining: '400' });
    expect(await messages('cafe', before)).toEqual([
      [
        'balance.adjusted',
        {
          account: 'cafe',
          balance: '400',
          status: 'active',
          links: links('cafe'),
          adjustment: { id, amount: '500', reason: OUTAGE, reference: 'outage-march', expiresAt: null, keyId: 'admin' },
        },
      ],
      ['service.resumed', { account: 'cafe', balance: '400', status: 'active', previousStatus: 'paused', links: links('cafe') }],
    ]);
  });

  test('a debit of 400 takes the balance to exactly zero and pauses the account, with the messages usage sends when credits run out', async () => {
    const before = await messageCount('cafe');
    const debited = await adjust('cafe', { amount: '-400', reason: TWICE, reference: 'double-e1' });
    expect(debited.status).toBe(201);
    expect(debited.body).toMatchObject({ adjustment: { amount: '-400', grantId: null, expiresAt: null }, balance: '0', status: 'paused', duplicate: false });
    // Drawn from the adjustment's grant, the only one with credit left.
    expect(debited.body.entries.map((e: any) => [e.kind, e.amount, e.balanceAfter, e.grantId, e.reason])).toEqual([
      ['adjustment', '-400', '0', first.adjustment.grantId, TWICE],
    ]);
    const sent = await messages('cafe', before);
    expect(sent.map(([type]) => type).sort()).toEqual(['balance.adjusted', 'balance.depleted', 'balance.low', 'service.paused']);
    expect(sent.find(([type]) => type === 'service.paused')![1]).toEqual({
      account: 'cafe',
      balance: '0',
      status: 'paused',
      previousStatus: 'active',
      links: links('cafe'),
    });
    expect(sent.find(([type]) => type === 'balance.low')![1]).toMatchObject({ balance: '0', threshold: '50' });
    expect(sent.find(([type]) => type === 'balance.adjusted')![1]).toMatchObject({
      balance: '0',
      status: 'paused',
      adjustment: { amount: '-400', reason: TWICE, reference: 'double-e1' },
    });
  });

  test('a debit past the balance is a 422 on amount saying the balance and the most that can be debited, and writes nothing', async () => {
    expect((await adjust('cafe', { amount: '300', reason: 'Goodwill, second part', reference: 'goodwill-2' })).body).toMatchObject({
      balance: '300',
      status: 'active',
    });
    const unchanged = await written();
    const refused = await adjust('cafe', { amount: '-300.5', reason: TWICE, reference: 'too-much' });
    expect(refused).toEqual({
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          field: 'amount',
          message:
            'a debit may take the balance down to zero and no further: the balance is 300 credits, so at most 300 credits can be debited (amount "-300")',
        },
      },
    });
    expect(await written()).toBe(unchanged);
  });

  test('the same reference with the same amount answers the first adjustment and its entries (200), with the balance as it stands, and writes nothing', async () => {
    const unchanged = await written();
    // The reason may be worded again: amount and expiry say what the adjustment is.
    const again = await adjust('cafe', { amount: '500', reason: 'Goodwill (retry)', reference: 'outage-march' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ adjustment: first.adjustment, entries: first.entries, balance: '300', status: 'active', duplicate: true });
    expect(await written()).toBe(unchanged);
  });

  test('the same reference with another amount or expiry is a 409 idempotency_conflict naming it, and writes nothing', async () => {
    const unchanged = await written();
    expect(await adjust('cafe', { amount: '600', reason: OUTAGE, reference: 'outage-march' })).toEqual({
      status: 409,
      body: {
        error: {
          code: 'idempotency_conflict',
          field: 'amount',
          message: 'Adjustment \'outage-march\' was first sent with amount "500", now with "600": send the same content again, or use a new key.',
        },
      },
    });
    const expiring = await adjust('cafe', { amount: '500', reason: OUTAGE, reference: 'outage-march', expiresAt: '2026-04-01T00:00:00Z' });
    expect(expiring).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict', field: 'expiresAt' } } });
    expect(expiring.body.error.message).toBe(
      'Adjustment \'outage-march\' was first sent with expiresAt null, now with "2026-04-01T00:00:00.000Z": send the same content again, or use a new key.',
    );
    expect(await written()).toBe(unchanged);
  });

  test('the ledger shows each adjustment with its reason and the key that made it; other entries have no reason', async () => {
    const desk = (await server.call('POST', '/v1/api-keys', { name: 'Support desk', scopes: ['admin'] })).body;
    const response = await fetch(`${server.url}/v1/accounts/cafe/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${desk.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '-50', reason: 'Test calls during onboarding', reference: 'onboarding' }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as any).adjustment.keyId).toBe(desk.id);

    const ledger = (await server.call('GET', '/v1/accounts/cafe/ledger')).body.entries;
    expect(ledger.map((e: any) => [e.kind, e.amount, e.balanceAfter, e.reference, e.reason, e.keyId])).toEqual([
      ['topup', '100', '100', 'pay-1', null, 'admin'],
      ['usage', '-100', '0', null, null, 'admin'],
      ['usage', '-100', '-100', null, null, 'admin'],
      ['adjustment', '500', '400', 'outage-march', OUTAGE, 'admin'],
      ['adjustment', '-400', '0', 'double-e1', TWICE, 'admin'],
      ['adjustment', '300', '300', 'goodwill-2', 'Goodwill, second part', 'admin'],
      ['adjustment', '-50', '250', 'onboarding', 'Test calls during onboarding', desk.id],
    ]);
    expect(ledger.find((e: any) => e.reference === 'outage-march')).toEqual(first.entries[0]);
  });

  test('a credit with an expiry lapses at it, like a top-up: what is left leaves the balance', async () => {
    await server.call('POST', '/v1/accounts', { id: 'kiosk', name: 'Kiosk', plan: 'payg', anchor: '2026-03-01T00:00:00Z' });
    const credited = await adjust('kiosk', { amount: '1000', reason: 'Trial credit', reference: 'trial', expiresAt: '2026-03-20T00:00:00Z' });
    expect(credited.body).toMatchObject({ adjustment: { expiresAt: '2026-03-20T00:00:00.000Z' }, balance: '1000', status: 'active' });
    expect((await server.call('POST', '/v1/events', chat('k1', 'kiosk', 1000, NOW))).body).toMatchObject({ cost: '40' });

    server.clock.set('2026-03-21T00:00:00Z');
    try {
      expect((await server.call('POST', '/v1/events', chat('k2', 'kiosk', 1000, '2026-03-21T00:00:00Z'))).body).toMatchObject({ cost: '40' });
      const ledger = (await server.call('GET', '/v1/accounts/kiosk/ledger')).body.entries;
      expect(ledger.map((e: any) => [e.kind, e.amount, e.balanceAfter])).toEqual([
        ['adjustment', '1000', '1000'],
        ['usage', '-40', '960'],
        ['expiry', '-960', '0'],
        ['usage', '-40', '-40'],
      ]);
      expect((await server.call('GET', '/v1/accounts/kiosk/balance')).body).toMatchObject({ balance: '-40', status: 'paused' });
    } finally {
      server.clock.set(NOW);
    }
  });

  test('bad input is a 4xx naming the field, and writes nothing', async () => {
    const unchanged = await written();
    const cases: [unknown, string][] = [
      [{ amount: '10', reference: 'x1' }, 'reason'],
      [{ amount: '10', reason: '   ', reference: 'x1' }, 'reason'],
      [{ amount: '10', reason: 'x'.repeat(501), reference: 'x1' }, 'reason'],
      [{ amount: '10', reason: 'Bad\u0000byte', reference: 'x1' }, 'reason'],
      [{ amount: '0', reason: OUTAGE, reference: 'x1' }, 'amount'],
      [{ amount: '-0.000', reason: OUTAGE, reference: 'x1' }, 'amount'],
      [{ amount: 10, reason: OUTAGE, reference: 'x1' }, 'amount'],
      [{ amount: '1e3', reason: OUTAGE, reference: 'x1' }, 'amount'],
      [{ amount: '1000000000000.01', reason: OUTAGE, reference: 'x1' }, 'amount'],
      [{ amount: '10', reason: OUTAGE }, 'reference'],
      [{ amount: '10', reason: OUTAGE, reference: 'has space' }, 'reference'],
      [{ amount: '-10', reason: OUTAGE, reference: 'x1', expiresAt: '2026-04-01T00:00:00Z' }, 'expiresAt'],
      [{ amount: '10', reason: OUTAGE, reference: 'x1', expiresAt: '2026-03-10T08:59:59Z' }, 'expiresAt'],
      [{ amount: '10', reason: OUTAGE, reference: 'x1', expiresAt: 'next week' }, 'expiresAt'],
      [{ amount: '10', reason: OUTAGE, reference: 'x1', priority: 1 }, 'priority'],
    ];
    const answers = [];
    for (const [body] of cases) {
      const answer = await adjust('cafe', body);
      answers.push([answer.status, answer.body.error.code, answer.body.error.field]);
    }
    expect(answers).toEqual(cases.map(([, field]) => [422, 'validation_failed', field]));
    expect(await adjust('cafe', { amount: '-10', reason: OUTAGE, reference: 'x1', expiresAt: '2026-04-01T00:00:00Z' })).toMatchObject({
      body: { error: { message: 'only a credit (a positive amount) expires; leave it out for a debit' } },
    });
    expect(await adjust('nobody', { amount: '10', reason: OUTAGE, reference: 'x1' })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await written()).toBe(unchanged);
  });
});

describe.each(STORES)('balance adjustments of a postpaid account on %s', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'plans', now: '2026-04-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'scale', anchor: '2026-04-01T00:00:00Z' });
  });
  afterAll(() => server.stop());

  test("are refused where the invoice bills usage: it is made from the cycle's usage and would see neither a grant nor a debit", async () => {
    const ledger = (await server.call('GET', '/v1/accounts/shop/ledger')).body.entries;
    for (const amount of ['50', '-50']) {
      expect(await server.call('POST', '/v1/accounts/shop/adjustments', { amount, reason: OUTAGE, reference: `p${amount}` })).toEqual({
        status: 422,
        body: {
          error: {
            code: 'postpaid_account',
            message:
              "Scale is billed after use: its invoice bills the cycle's usage, which a balance adjustment would not change; correct the invoice with a credit note instead.",
          },
        },
      });
    }
    expect((await server.call('GET', '/v1/accounts/shop/ledger')).body.entries).toEqual(ledger);
  });
});
