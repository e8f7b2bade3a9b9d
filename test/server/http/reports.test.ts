// Cost reports, the cycle forecast, spikes and explanations, on both stores. Credits preset
// (DOMAIN.md model 2): chat input 40 and output 200 credits per 1,000 tokens, a call's connection
// 95 credits a minute billed per second, an outbound SMS 2,500 credits a segment.
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('reports on %s', (store) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'payg' });
    await server.call('POST', '/v1/accounts/shop/topups', { amount: '1000000', reference: 'opening' });
  });
  afterAll(() => server.stop());

  const record = async (event: object) => {
    const response = await server.call('POST', '/v1/events', { account: 'shop', ...event });
    expect(response.status).toBe(201);
    return response.body;
  };

  // The tests tell one month in order: each builds on the usage of the ones before.
  test('a day of chat, a campaign call and a campaign SMS, by channel, by campaign and as CSV', async () => {
    server.clock.set('2026-03-01T12:00:00Z');
    await record({ id: 'c1', type: 'chat', timestamp: '2026-03-01T09:15:00Z', data: { input_tokens: 1500, output_tokens: 500, assistant: 'support' } });
    await record({ id: 'k1', type: 'call', timestamp: '2026-03-01T10:30:00Z', data: { duration_seconds: 90, direction: 'outbound', assistant: 'sales', campaign: 'spring', number: '+4930111' } });
    await record({ id: 's1', type: 'sms', timestamp: '2026-03-01T11:00:00Z', data: { direction: 'outbound', text: 'Hello', campaign: 'spring', number: '+4930111' } });

    const byChannel = await server.call('GET', '/v1/reports/costs?account=shop&from=2026-03-01&to=2026-03-02&groupBy=channel');
    expect(byChannel.status).toBe(200);
    expect(byChannel.body).toMatchObject({
      account: 'shop',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
      groupBy: ['channel'],
      currency: 'credits',
      // 60 + 100 for the chat, 142.5 for 90 seconds of call, 2,500 for one SMS segment.
      totals: { amount: '2802.5', charges: 4 },
      groups: [
        { channel: 'sms', channelName: 'SMS', amount: '2500', charges: 1, quantities: [{ unit: 'segment', quantity: '1', included: '0', amount: '2500', charges: 1 }] },
        { channel: 'ai_chat', channelName: 'AI chat', amount: '160', charges: 2, quantities: [{ unit: 'token', quantity: '2000', included: '0', amount: '160', charges: 2 }] },
        { channel: 'voice', channelName: 'Voice', amount: '142.5', charges: 1, quantities: [{ unit: 'second', quantity: '90', included: '0', amount: '142.5', charges: 1 }] },
      ],
    });

    const byCampaign = await server.call('GET', '/v1/reports/costs?account=shop&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&groupBy=campaign,number');
    expect(byCampaign.body.groups.map((g: any) => [g.campaign, g.number, g.amount])).toEqual([
      ['spring', '+4930111', '2642.5'],
      [null, null, '160'],
    ]);

    // Only the hours asked for: the chat at 09:15 lies before 10:00.
    const later = await server.call('GET', '/v1/reports/costs?account=shop&from=2026-03-01T10:00:00Z&to=2026-03-01T12:00:00Z');
    expect(later.body.totals).toEqual({ amount: '2642.5', charges: 2 });
    expect(later.body.groups).toHaveLength(1);

    const csv = await fetch(`${server.url}/v1/reports/costs?account=shop&from=2026-03-01&to=2026-03-02&groupBy=channel`, {
      headers: { authorization: `Bearer ${server.apiKey}`, accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('costs-shop-2026-03-01-2026-03-02.csv');
    expect(await csv.text()).toBe(
      'channel,unit,quantity,included,charges,amount\nsms,segment,1,0,1,2500\nai_chat,token,2000,0,2,160\nvoice,second,90,0,1,142.5\n',
    );
  });

  test('every charge explains itself: rate, increments and the sum, as data and as a sentence', async () => {
    const explained = await server.call('GET', '/v1/events/k1/explanation?account=shop');
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({ event: 'k1', type: 'call', cost: '142.5', currency: 'credits' });
    expect(explained.body.charges[0]).toMatchObject({ service: 'call_connection', rate: { amount: '95', per: 60 }, increments: '1/1', amount: '142.5' });
    expect(explained.body.charges[0].explanation).toBe(
      'Phone call connection: 90 seconds measured; billed in 1/1 increments as 90 seconds; 90 seconds charged at 95 credits per minute = 142.5 credits.',
    );
    expect(explained.body.summary).toMatch(/^The call event k1 of 2026-03-01T10:30:00.000Z cost 142.5 credits\. Phone call connection/);
    // The opening top-up paid it.
    expect(explained.body.paidFrom).toEqual([{ grant: expect.stringMatching(/^grt_/), kind: 'topup', amount: '142.5' }]);
    expect(explained.body.summary).toMatch(/ Paid from the top-up grt_\w+ \(142\.5 credits\)\.$/);
    expect((await server.call('GET', '/v1/events/nope/explanation?account=shop')).status).toBe(404);
  });

  test('a large outbound campaign shows as a spike with the campaign and number that drove it', async () => {
    // Ten ordinary days of one chat each (160 credits), then a day with a 20-call campaign.
    server.clock.set('2026-03-12T18:00:00Z');
    for (let day = 2; day <= 11; day += 1) {
      const date = `2026-03-${String(day).padStart(2, '0')}`;
      await record({ id: `daily-${day}`, type: 'chat', timestamp: `${date}T08:00:00Z`, data: { input_tokens: 1500, output_tokens: 500, assistant: 'support' } });
    }
    for (let i = 0; i < 20; i += 1) {
      await record({ id: `blast-${i}`, type: 'call', timestamp: '2026-03-12T14:00:00Z', data: { duration_seconds: 60, direction: 'outbound', campaign: 'blast', number: '+4930999', assistant: 'sales' } });
    }

    const spikes = await server.call('GET', '/v1/reports/spikes?account=shop&from=2026-03-02&to=2026-03-13');
    expect(spikes.status).toBe(200);
    // 20 calls of 95 credits: 1,900 credits, against a median day of 160.
    expect(spikes.body.spikes).toEqual([
      {
        day: '2026-03-12',
        amount: '1900',
        baseline: '160',
        times: '11.9',
        drivers: [
          { dimension: 'channel', value: 'voice', amount: '1900', share: '1' },
          { dimension: 'campaign', value: 'blast', amount: '1900', share: '1' },
          { dimension: 'number', value: '+4930999', amount: '1900', share: '1' },
          { dimension: 'assistant', value: 'sales', amount: '1900', share: '1' },
        ],
        summary: 'On 2026-03-12 usage cost 1900, 11.9 times a usual day (160), mostly voice (100%); driven by campaign blast (100%), number +4930999 (100%), assistant sales (100%).',
      },
    ]);
  });

  test('the running cycle: cost so far and a linear forecast to the cycle end, with its method', async () => {
    // 2,802.5 + 10 × 160 + 1,900 = 6,302.5 credits in the first 11.75 days of a 31-day cycle.
    const forecast = await server.call('GET', '/v1/reports/forecast?account=shop');
    expect(forecast.body).toMatchObject({
      account: 'shop',
      cycle: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      costSoFar: '6302.5',
      // 6,302.5 / 11.75 days = 536.3829... a day; 6,302.5 × 31 / 11.75 = 195,377.5 / 11.75 = 16,627.87.
      runRatePerDay: '536.38',
      forecast: '16627.87',
    });
    expect(forecast.body.method).toMatch(/^linear run rate/);
    const cycle = await server.call('GET', '/v1/reports/costs?account=shop&period=current_cycle&groupBy=month');
    expect(cycle.body.groups).toEqual([expect.objectContaining({ month: '2026-03', amount: '6302.5' })]);
  });

  test('without an account the report covers all accounts', async () => {
    await server.call('POST', '/v1/accounts', { id: 'other', name: 'Other', plan: 'payg' });
    await server.call('POST', '/v1/events', { id: 'o1', account: 'other', type: 'chat', timestamp: '2026-03-12T17:30:00Z', data: { input_tokens: 1000, output_tokens: 0 } });
    const all = await server.call('GET', '/v1/reports/costs?from=2026-03-12&to=2026-03-13&groupBy=channel');
    expect(all.body).toMatchObject({ account: null, totals: { amount: '1940' } });
    expect(all.body.groups.map((g: any) => [g.channel, g.amount])).toEqual([['voice', '1900'], ['ai_chat', '40']]);
  });

  test('folding the waiting rollup increments into the hourly and daily tables changes no report', async () => {
    const ask = async () => (await server.call('GET', '/v1/reports/costs?from=2026-03-01&to=2026-04-01&groupBy=day,channel')).body;
    const before = await ask();
    const waiting = async () => Number((await server.db.query<{ n: string }>('SELECT count(*)::text AS n FROM usage_rollup_increments'))[0]!.n);
    expect(await waiting()).toBeGreaterThan(0);

    await server.rollups.check();
    expect(await waiting()).toBe(0);
    const [folded] = await server.db.query<{ hourly: string; daily: string }>(
      'SELECT (SELECT sum(amount) FROM usage_rollups)::text AS hourly, (SELECT sum(amount) FROM usage_rollups_daily)::text AS daily',
    );
    expect(folded).toEqual({ hourly: before.totals.amount, daily: before.totals.amount });
    expect(await ask()).toEqual(before);

    // Increments after a fold wait beside the folded rows until the next one.
    await server.call('POST', '/v1/events', { id: 'o2', account: 'other', type: 'chat', timestamp: '2026-03-12T17:45:00Z', data: { input_tokens: 1000, output_tokens: 0 } });
    const after = await ask();
    expect(after.totals.charges).toBe(before.totals.charges + 2);
    await server.rollups.check();
    expect(await ask()).toEqual(after);
  });

  test('bad report queries get a 4xx naming the field', async () => {
    const cases: [string, number, string][] = [
      ['/v1/reports/costs?account=shop&from=2026-03-01T10:30:00Z&to=2026-03-02', 422, 'from'],
      ['/v1/reports/costs?account=shop&from=2026-03-02&to=2026-03-01', 422, 'to'],
      ['/v1/reports/costs?account=shop&from=yesterday&to=2026-03-01', 422, 'from'],
      ['/v1/reports/costs?account=shop', 422, 'from'],
      ['/v1/reports/costs?period=current_cycle', 422, 'period'],
      ['/v1/reports/costs?account=shop&period=last_week', 422, 'period'],
      ['/v1/reports/costs?account=shop&period=current_cycle&groupBy=colour', 422, 'groupBy'],
      ['/v1/reports/costs?account=shop&period=current_cycle&groupBy=day,day', 422, 'groupBy'],
      ['/v1/reports/costs?account=shop&period=current_cycle&colour=red', 422, 'colour'],
      ['/v1/reports/spikes?account=shop&factor=1', 422, 'factor'],
      ['/v1/reports/forecast', 422, 'account'],
    ];
    for (const [path, status, field] of cases) {
      const response = await server.call('GET', path);
      expect([path, response.status, response.body.error.field?.split(/[.[]/)[0]]).toEqual([path, status, field]);
    }
    expect((await server.call('GET', '/v1/reports/costs?account=ghost&period=current_cycle')).status).toBe(404);
  });
});
