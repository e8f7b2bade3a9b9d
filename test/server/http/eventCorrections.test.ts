// Voiding and amending recorded events, on both stores. Credits preset (DOMAIN.md model 2): a call's
// connection costs 95 credits a minute, billed by the second, so a 90-second call is 142.5 credits.
// Minutes preset (model 1): Starter includes 500 minutes a month. Conversations preset (model 5):
// an autopilot conversation costs 0.30 EUR, charged once per conversation and cycle.
import { STORES, startTestServer, type TestServer } from '../support/servers';

type Body = Record<string, any>;

async function outboxTypes(server: TestServer, account: string): Promise<string[]> {
  const rows = await server.db.query<{ type: string }>('SELECT type FROM outbox_messages WHERE account_id = $1 ORDER BY occurred_at, id', [account]);
  return rows.map((r) => r.type);
}

async function ledgerSum(server: TestServer, account: string): Promise<string> {
  const [row] = await server.db.query<{ total: string }>('SELECT coalesce(sum(amount), 0)::text AS total FROM ledger_entries WHERE account_id = $1', [account]);
  return String(Number(row!.total));
}

describe.each(STORES)('event corrections on %s', (store) => {
  describe('credits', () => {
    let server: TestServer;
    const call = (account: string, id: string, seconds: number) =>
      server.call('POST', '/v1/events', { id, account, type: 'call', timestamp: server.clock.now().toISOString(), data: { duration_seconds: seconds } });
    const balance = async (account: string) => (await server.call('GET', `/v1/accounts/${account}/balance`)).body as Body;

    beforeAll(async () => {
      server = await startTestServer(store, { catalog: 'credits', now: '2026-03-10T12:00:00Z' });
      for (const id of ['salon', 'tight', 'other']) await server.call('POST', '/v1/accounts', { id, name: id, plan: 'payg' });
      await server.call('POST', '/v1/accounts/salon/topups', { amount: '100000', reference: 'opening' });
      await server.call('POST', '/v1/accounts/other/topups', { amount: '1000', reference: 'opening' });
    });
    afterAll(() => server.stop());

    test('a voided 90-second call gives back its 142.5 credits to the top-up it drew on', async () => {
      expect((await call('salon', 'twice-1', 90)).body.cost).toBe('142.5');
      expect((await balance('salon')).balance).toBe('99857.5');
      const voided = await server.call('POST', '/v1/events/twice-1/void', { account: 'salon', reason: 'reported twice under two ids' });
      expect(voided.status).toBe(200);
      expect(voided.body.event).toMatchObject({ id: 'twice-1', cost: '142.5', voidReason: 'reported twice under two ids', voidedBy: expect.any(String) });
      expect(voided.body.entries).toEqual([
        expect.objectContaining({ kind: 'void', amount: '142.5', balanceAfter: '100000', reason: 'reported twice under two ids', reference: 'twice-1@v1' }),
      ]);
      expect(voided.body.balance).toBe('100000');
      expect((await balance('salon')).balance).toBe('100000');
      expect(await ledgerSum(server, 'salon')).toBe('100000');
      // The ledger shows who and why.
      const ledger = (await server.call('GET', '/v1/accounts/salon/ledger')).body.entries as Body[];
      expect(ledger[ledger.length - 1]).toMatchObject({ kind: 'void', amount: '142.5', eventId: 'twice-1', reason: 'reported twice under two ids', keyId: expect.any(String) });
    });

    test('voiding twice answers the first result and writes nothing', async () => {
      const entriesBefore = (await server.call('GET', '/v1/accounts/salon/ledger')).body.entries.length;
      const again = await server.call('POST', '/v1/events/twice-1/void', { account: 'salon', reason: 'another reason' });
      expect(again.status).toBe(200);
      expect(again.body.event.voidReason).toBe('reported twice under two ids');
      expect(again.body.entries).toEqual([expect.objectContaining({ kind: 'void', amount: '142.5', balanceAfter: '100000' })]);
      expect((await server.call('GET', '/v1/accounts/salon/ledger')).body.entries.length).toBe(entriesBefore);
    });

    test('a voided event is marked in the list and no longer counts in reports', async () => {
      server.clock.advance(60_000);
      expect((await call('salon', 'kept', 60)).body.cost).toBe('95');
      const listed = (await server.call('GET', '/v1/events?account=salon')).body.events as Body[];
      expect(listed.map((e) => [e.id, e.voidedAt !== undefined])).toEqual([
        ['kept', false],
        ['twice-1', true],
      ]);
      const report = await server.call('GET', '/v1/reports/costs?account=salon&from=2026-03-01&to=2026-04-01');
      expect(report.status).toBe(200);
      expect(report.body.totals).toEqual({ amount: '95', charges: 1 });
    });

    test('a prepaid account the void brings back above zero resumes', async () => {
      await server.call('POST', '/v1/accounts/tight/topups', { amount: '100', reference: 'small' });
      expect((await call('tight', 'long', 90)).body.cost).toBe('142.5');
      expect(await balance('tight')).toMatchObject({ balance: '-42.5', status: 'paused' });
      const voided = await server.call('POST', '/v1/events/long/void', { account: 'tight', reason: 'test call by the operator' });
      expect(voided.body.entries.map((e: Body) => [e.amount, e.grantId === null])).toEqual([
        ['100', false],
        ['42.5', true],
      ]);
      expect(await balance('tight')).toMatchObject({ balance: '100', status: 'active' });
      expect(await outboxTypes(server, 'tight')).toEqual(expect.arrayContaining(['service.paused', 'usage.voided', 'service.resumed']));
    });

    test('an amended call is voided and rated again under the same id, its versions kept', async () => {
      expect((await call('salon', 'short', 60)).body.cost).toBe('95');
      const before = (await balance('salon')).balance;
      const amended = await server.call('POST', '/v1/events/short/amend', { account: 'salon', data: { duration_seconds: 120 }, reason: 'duration reported wrong' });
      expect(amended.status).toBe(200);
      expect(amended.body.event).toMatchObject({ id: 'short', version: 2, cost: '190', data: expect.objectContaining({ duration_seconds: 120 }) });
      expect(amended.body.previous).toMatchObject({ cost: '95', voidReason: 'duration reported wrong' });
      // 95 back, 190 charged: 95 less than before.
      expect((await balance('salon')).balance).toBe(String(Number(before) - 95));
      const read = await server.call('GET', '/v1/events/short?account=salon');
      expect(read.body).toMatchObject({ version: 2, cost: '190' });
      expect(read.body.versions).toEqual([expect.objectContaining({ data: expect.objectContaining({ duration_seconds: 60 }), cost: '95', voidReason: 'duration reported wrong' })]);
      expect(await ledgerSum(server, 'salon')).toBe((await balance('salon')).balance);
      // Sent again (a retried request): answered as before, nothing amended twice.
      const entries = (await server.call('GET', '/v1/accounts/salon/ledger?limit=1000')).body.entries.length;
      const again = await server.call('POST', '/v1/events/short/amend', { account: 'salon', data: { duration_seconds: 120 }, reason: 'duration reported wrong' });
      expect(again.body).toMatchObject({ event: { version: 2, cost: '190' }, previous: { cost: '95' } });
      expect((await server.call('GET', '/v1/accounts/salon/ledger?limit=1000')).body.entries.length).toBe(entries);
    });

    test('bad corrections are refused, naming the field, and write nothing', async () => {
      const entriesBefore = (await server.call('GET', '/v1/accounts/salon/ledger')).body.entries.length;
      const refused = [
        [await server.call('POST', '/v1/events/nothing/void', { account: 'salon', reason: 'x' }), 404, undefined],
        // Another account's event is not found under this one.
        [await server.call('POST', '/v1/events/kept/void', { account: 'other', reason: 'x' }), 404, undefined],
        [await server.call('POST', '/v1/events/kept/void', { account: 'salon' }), 422, 'reason'],
        [await server.call('POST', '/v1/events/kept/void', { account: 'salon', reason: '   ' }), 422, 'reason'],
        [await server.call('POST', '/v1/events/kept/amend', { account: 'salon', data: { duration_seconds: -5 }, reason: 'x' }), 422, 'data.duration_seconds'],
        [await server.call('POST', '/v1/events/twice-1/amend', { account: 'salon', data: { duration_seconds: 5 }, reason: 'x' }), 409, undefined],
      ] as const;
      for (const [response, status, field] of refused) {
        expect(response.status).toBe(status);
        if (field) expect(response.body.error.field).toBe(field);
      }
      expect((await server.call('GET', '/v1/accounts/salon/ledger')).body.entries.length).toBe(entriesBefore);
    });
  });

  describe('included minutes', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-05T12:00:00Z' });
      await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'starter' });
    });
    afterAll(() => server.stop());

    test('a voided call gives its included minutes back to the cycle that counted them', async () => {
      const minutes = async () => (await server.call('GET', '/v1/accounts/clinic/balance')).body.allowances[0];
      const recorded = await server.call('POST', '/v1/events', { id: 'c1', account: 'clinic', type: 'call', timestamp: '2026-03-05T12:00:00Z', data: { duration_seconds: 600 } });
      expect(recorded.body.cost).toBe('0');
      expect(await minutes()).toMatchObject({ included: '500', used: '10', remaining: '490' });
      expect((await server.call('POST', '/v1/events/c1/void', { account: 'clinic', reason: 'a test call' })).status).toBe(200);
      expect(await minutes()).toMatchObject({ included: '500', used: '0', remaining: '500' });
    });

    test('an 80% alert the void undid fires again only on a new crossing', async () => {
      await server.call('POST', '/v1/accounts', { id: 'alerted', name: 'Alerted', plan: 'starter' });
      expect((await server.call('POST', '/v1/alert-rules', { account: 'alerted', kind: 'allowance_percent', meter: 'minutes', thresholds: [80] })).status).toBe(201);
      const call = (id: string, minutes: number) =>
        server.call('POST', '/v1/events', { id, account: 'alerted', type: 'call', timestamp: server.clock.now().toISOString(), data: { duration_seconds: minutes * 60 } });
      const crossings = async () => (await outboxTypes(server, 'alerted')).filter((t) => t === 'usage.threshold_reached').length;
      await call('big', 410);
      expect(await crossings()).toBe(1);
      await call('small', 10);
      expect(await crossings()).toBe(1);
      // 420 minutes less 410: 10 used, below 400 again.
      await server.call('POST', '/v1/events/big/void', { account: 'alerted', reason: 'recorded by mistake' });
      expect(await crossings()).toBe(1);
      await call('again', 395);
      expect(await crossings()).toBe(2);
    });
  });

  describe('a closed postpaid cycle', () => {
    let server: TestServer;
    const call = (id: string, at: string, minutes: number) =>
      server.call('POST', '/v1/events', { id, account: 'clinic', type: 'call', timestamp: at, data: { duration_seconds: minutes * 60 } });

    beforeAll(async () => {
      server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
      await server.call('POST', '/v1/accounts', { id: 'clinic', name: 'Clinic', plan: 'starter', anchor: '2026-03-01T00:00:00Z' });
    });
    afterAll(() => server.stop());

    test('a void after the invoice issues a credit note with its VAT and never rewrites the invoice', async () => {
      server.clock.set('2026-03-20T12:00:00Z');
      // 510 minutes: 500 included, 10 at 0.12 = 1.20; then 5 minutes reported twice: 0.60.
      expect((await call('big', '2026-03-20T10:00:00Z', 510)).body.cost).toBe('1.2');
      expect((await call('dup', '2026-03-20T11:00:00Z', 5)).body.cost).toBe('0.6');
      server.clock.set('2026-04-01T00:00:01Z');
      expect((await server.call('POST', '/v1/accounts/clinic/cycles/close')).status).toBe(200);
      const [invoice] = (await server.call('GET', '/v1/accounts/clinic/invoices')).body.invoices;
      const issued = (await server.call('GET', `/v1/invoices/${invoice.id}`)).body;
      expect(issued.lines.find((l: Body) => l.description.startsWith('Call minutes'))).toMatchObject({ net: '1.80' });

      const voided = await server.call('POST', '/v1/events/dup/void', { account: 'clinic', reason: 'reported twice under two ids' });
      expect(voided.status).toBe(200);
      expect(voided.body.event.voidCreditNote).toEqual(expect.any(String));
      // The settlement gives back 0.60 and the charges are forgiven: the balance does not move.
      expect(voided.body.entries.map((e: Body) => [e.kind, e.amount])).toEqual([
        ['unsettlement', '-0.6'],
        ['void', '0.6'],
      ]);
      const note = (await server.call('GET', `/v1/credit-notes/${voided.body.event.voidCreditNote}`)).body;
      // 0.60 net, 19% VAT 0.114 → 0.11, 0.71 in all, on the invoice's call-minutes line.
      expect(note).toMatchObject({ number: 'CM-CN-2026-000001', net: '0.60', tax: '0.11', gross: '0.71', reason: 'reported twice under two ids', refund: 'external' });
      expect(note.lines).toEqual([expect.objectContaining({ description: expect.stringMatching(/^Call minutes/), net: '0.60' })]);
      const after = (await server.call('GET', `/v1/invoices/${invoice.id}`)).body;
      expect(after).toMatchObject({ number: issued.number, net: issued.net, gross: issued.gross, lines: issued.lines, credited: '0.71' });
      expect(await outboxTypes(server, 'clinic')).toEqual(expect.arrayContaining(['credit_note.created', 'usage.voided']));
      // A second void answers the first and issues no second note.
      expect((await server.call('POST', '/v1/events/dup/void', { account: 'clinic', reason: 'again' })).body.event.voidCreditNote).toBe(note.id);
      expect((await server.call('GET', `/v1/invoices/${invoice.id}/credit-notes`)).body.creditNotes).toHaveLength(1);
    });
  });

  describe('conversations charged once', () => {
    let server: TestServer;
    const turn = (id: string, conversation: string) =>
      server.call('POST', '/v1/events', { id, account: 'shop', type: 'ai_conversation', timestamp: server.clock.now().toISOString(), data: { conversation, feature: 'autopilot' } });

    beforeAll(async () => {
      server = await startTestServer(store, { catalog: 'conversations', now: '2026-03-05T12:00:00Z' });
      await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'boost' });
      await server.call('POST', '/v1/accounts/shop/topups', { amount: '10', reference: 'opening' });
    });
    afterAll(() => server.stop());

    test("a voided conversation releases its charge-once key: the next message of it is charged 0.30 again", async () => {
      expect((await turn('a1', 'conv-1')).body.cost).toBe('0.3');
      expect((await server.call('POST', '/v1/events/a1/void', { account: 'shop', reason: 'a test conversation' })).body.entries).toEqual([
        expect.objectContaining({ kind: 'void', amount: '0.3' }),
      ]);
      expect((await turn('a2', 'conv-1')).body.cost).toBe('0.3');
    });

    test('a key another event still holds stays charged: the conversation is not charged a third time', async () => {
      expect((await turn('b1', 'conv-2')).body.cost).toBe('0.3');
      expect((await turn('b2', 'conv-2')).body.cost).toBe('0');
      expect((await server.call('POST', '/v1/events/b1/void', { account: 'shop', reason: 'charged on the wrong message' })).status).toBe(200);
      expect((await turn('b3', 'conv-2')).body.cost).toBe('0');
    });
  });
});
