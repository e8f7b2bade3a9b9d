// The dashboard's data behind its two kinds of access, on both stores: a signed link reads its own
// account only, the operator's key reads any. The account's cycle is told in support/dentalStudio.
import { recordCall, seedDentalStudio } from '../support/dentalStudio';
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe.each(STORES)('dashboard API on %s', (store) => {
  let server: TestServer;
  let token: string;

  const read = async (path: string, bearer: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const call = (id: string, timestamp: string, seconds: number) => recordCall(server, id, timestamp, seconds);

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    await seedDentalStudio(server);
  });
  afterAll(() => server.stop());

  test('the operator makes a link that opens the dashboard of that one account for a week', async () => {
    const made = await server.call('POST', '/v1/accounts/dental/dashboard-links', {});
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ account: 'dental', expiresAt: '2026-03-17T12:00:00.000Z' });
    expect(made.body.url).toBe(`${server.url}/dashboard#token=${made.body.token}`);
    token = made.body.token;
    const days = await server.call('POST', '/v1/accounts/dental/dashboard-links', { expiresInHours: 48 });
    expect(days.body.expiresAt).toBe('2026-03-12T12:00:00.000Z');
  });

  test('the summary shows balance, allowance, cost so far, forecast, channels, days and charges', async () => {
    const { status, body } = await read('/dashboard/api/summary', token);
    expect(status).toBe(200);
    expect(body.account).toEqual({ id: 'dental', name: 'Dental Studio Mitte', plan: 'starter', planName: 'Starter', interval: 'month', status: 'active', paymentIssue: null });
    // Postpaid, active, paid up: nothing to say above the figures.
    expect(body.notices).toEqual([]);
    expect(body.currency).toBe('EUR');
    expect(body.balance.allowances).toEqual([{ meter: 'minutes', unit: 'minute', period: 'month', included: '500', used: '500', remaining: '0' }]);
    // Usage 6.00 + 0.18 + 0.045 = 6.225 EUR after 9.5 of March's 31 days runs to 6.225 × 31 / 9.5 =
    // 20.3132; the number's 0.80 EUR rent is added once: 21.11.
    expect(body.forecast).toMatchObject({ costSoFar: '7.025', usageSoFar: '6.225', feesSoFar: '0.8', forecast: '21.11', runRatePerDay: '0.66' });
    // Seven voice charges: each of the six calls' minutes (four of them covered in full) and one surcharge.
    expect(body.channels).toEqual({
      groups: [
        { channel: 'voice', name: 'Voice', amount: '6.225', charges: 7 },
        { channel: 'phone_numbers', name: 'Phone numbers', amount: '0.8', charges: 1 },
      ],
      totals: { amount: '7.025', charges: 8 },
    });
    expect(body.phoneNumbers).toEqual([expect.objectContaining({ number: '+12125550123', type: 'local', country: 'US', monthlyRent: '1.15', status: 'active' })]);
    expect(body.daily.days).toHaveLength(31);
    expect(body.daily.days[0]).toBe('2026-03-01');
    expect(body.daily.channels.map((c: { channel: string }) => c.channel)).toEqual(['voice', 'phone_numbers']);
    expect(body.daily.totals.slice(0, 10)).toEqual(['0', '0', '6', '0.225', '0', '0', '0', '0', '0', '0.8']);
    expect(body.recentCharges.map((c: { event: string; cost: string }) => [c.event, c.cost])).toEqual([
      ['d3', '0.225'],
      ['d2', '6'],
      ['d1-3', '0'],
      ['d1-2', '0'],
      ['d1-1', '0'],
      ['d1-0', '0'],
    ]);
    // 0.225 EUR, shown to the cent (the currency's display precision); the cost field stays exact.
    expect(body.recentCharges[0].summary).toMatch(/^The call event d3 of 2026-03-04T15:30:00.000Z cost 0.23 EUR\. /);
  });

  test('a link reads its own account only; the operator key reads any but must name one', async () => {
    expect(await read('/dashboard/api/summary?account=bakery', token)).toMatchObject({
      status: 403,
      body: { error: { code: 'account_not_permitted', field: 'account', message: "This dashboard link reads account 'dental' only." } },
    });
    expect((await read('/dashboard/api/summary?account=dental', token)).status).toBe(200);
    expect((await read('/dashboard/api/summary?account=bakery', server.apiKey)).body.account.id).toBe('bakery');
    expect(await read('/dashboard/api/summary', server.apiKey)).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', field: 'account' } } });
    expect(await read('/dashboard/api/summary?account=nobody', server.apiKey)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  test('a forged, altered or expired link opens nothing, and a link cannot call the API', async () => {
    const [prefix, payload, signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ a: 'bakery', e: 4_000_000_000 })).toString('base64url');
    for (const bad of [`${prefix}.${otherPayload}.${signature}`, `${prefix}.${payload}.${signature!.slice(0, -2)}AA`, 'cmd1.x', 'not-a-token']) {
      expect(await read('/dashboard/api/summary', bad)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    }
    expect((await read('/v1/accounts/dental', token)).status).toBe(401);
    const short = (await server.call('POST', '/v1/accounts/dental/dashboard-links', { expiresInHours: 1 })).body.token;
    server.clock.advance(60 * 60 * 1000);
    expect(await read('/dashboard/api/summary', short)).toMatchObject({ status: 401, body: { error: { code: 'link_expired' } } });
    server.clock.set('2026-03-10T12:00:00Z');
  });

  test('bad link requests are refused with the field named', async () => {
    for (const [body, field] of [
      [{ expiresInHours: 0 }, 'expiresInHours'],
      [{ expiresInHours: 2161 }, 'expiresInHours'],
      [{ expiresInHours: 1.5 }, 'expiresInHours'],
      [{ hours: 5 }, 'hours'],
    ] as const) {
      expect(await server.call('POST', '/v1/accounts/dental/dashboard-links', body)).toMatchObject({ status: 422, body: { error: { field } } });
    }
    expect((await server.call('POST', '/v1/accounts/nobody/dashboard-links', {})).status).toBe(404);
  });

  test('the live stream says "changed" when usage arrives, from the request that recorded it', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/dashboard/api/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: string[] = [];
    const next = async (): Promise<string> => {
      for (;;) {
        const joined = events.join('');
        const match = /event: (\w+)\n/.exec(joined);
        if (match) {
          events.splice(0, events.length, joined.slice(match.index + match[0].length));
          return match[1]!;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        events.push(value);
      }
    };
    expect(await next()).toBe('ready');
    await call('live-1', '2026-03-10T11:00:00Z', 60);
    expect(await next()).toBe('changed');
    controller.abort();
    const after = await read('/dashboard/api/summary', token);
    expect(after.body.forecast.costSoFar).toBe('7.145');
  });

  test('a charge opens its event; a voided one is marked with its reason and leaves the figures', async () => {
    const before = (await read('/dashboard/api/summary', token)).body;
    const call = before.recentCharges.find((c: { event: string }) => c.event === 'live-1');
    // One minute beyond the allowance at 0.12 EUR, owed until the invoice.
    expect(call).toMatchObject({ data: { duration_seconds: 60, answered: true }, version: 1, voided: null, paid: expect.stringContaining('0.12 EUR') });
    expect((await server.call('POST', '/v1/events/live-1/void', { account: 'dental', reason: 'a test call by the practice' })).status).toBe(200);
    const after = (await read('/dashboard/api/summary', token)).body;
    expect(after.recentCharges.find((c: { event: string }) => c.event === 'live-1').voided).toEqual({ at: expect.any(String), reason: 'a test call by the practice' });
    expect(after.forecast.costSoFar).toBe('7.025');
  });

  test("an invoice's page opens from the summary's link alone, for minutes, that invoice only", async () => {
    server.clock.set('2026-04-01T00:00:01Z');
    expect((await server.call('POST', '/v1/accounts/dental/cycles/close')).status).toBe(200);
    const [invoice] = (await read('/dashboard/api/summary?account=dental', server.apiKey)).body.invoices;
    // Issued at 00:00:01 on April 1 with the catalog's 14 days to pay.
    expect(invoice).toMatchObject({ status: 'open', dueAt: '2026-04-15T00:00:01.000Z', overdue: false });
    expect(invoice.page).toMatch(new RegExp(`^/dashboard/invoices/${invoice.id}\\.html\\?ticket=cmi1\\.`));
    const page = await fetch(`${server.url}${invoice.page}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain(invoice.number);

    const ticket = new URL(invoice.page, server.url).searchParams.get('ticket')!;
    const open = async (path: string) => {
      const response = await fetch(`${server.url}${path}`);
      return { status: response.status, body: (await response.json()) as any };
    };
    // Another invoice's address, a forged ticket, a dashboard link in its place, none at all.
    expect(await open(`/dashboard/invoices/inv_other.html?ticket=${encodeURIComponent(ticket)}`)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await open(`/dashboard/invoices/${invoice.id}.html?ticket=${encodeURIComponent(ticket.slice(0, -2))}AA`)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await open(`/dashboard/invoices/${invoice.id}.html?ticket=${encodeURIComponent(token)}`)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await open(`/dashboard/invoices/${invoice.id}.html`)).toMatchObject({ status: 422, body: { error: { field: 'ticket' } } });
    expect(await open(`/dashboard/invoices/${invoice.id}.html?ticket=%00`)).toMatchObject({ status: 422, body: { error: { field: 'ticket' } } });
    // The ticket opens no dashboard, and lapses after 30 minutes.
    expect((await read('/dashboard/api/summary', ticket)).status).toBe(401);
    server.clock.set('2026-04-01T00:30:02Z');
    expect(await open(`/dashboard/invoices/${invoice.id}.html?ticket=${encodeURIComponent(ticket)}`)).toMatchObject({ status: 401, body: { error: { code: 'link_expired' } } });
  });

  test('an open invoice reads overdue once its due date has passed, on the server\'s clock, and not once it is paid', async () => {
    server.clock.set('2026-04-15T00:00:02Z');
    const [late] = (await read('/dashboard/api/summary?account=dental', server.apiKey)).body.invoices;
    expect(late).toMatchObject({ status: 'open', dueAt: '2026-04-15T00:00:01.000Z', overdue: true });
    expect((await server.call('POST', `/v1/invoices/${late.id}/payment`, { status: 'paid' })).status).toBe(200);
    expect((await read('/dashboard/api/summary?account=dental', server.apiKey)).body.invoices[0]).toMatchObject({ status: 'paid', overdue: false });
  });

  test('the page, its script and the chart library are served with a strict content policy', async () => {
    for (const path of ['/dashboard', '/dashboard/assets/dashboard.js', '/dashboard/assets/dashboard.css', '/dashboard/assets/chart.umd.min.js']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      await response.arrayBuffer();
    }
    expect((await fetch(`${server.url}/dashboard/assets/../package.json`)).status).toBe(404);
  });
});

describe.each(STORES)('the host of a dashboard link on %s', (store) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  const linkWith = async (headers: Record<string, string>) => {
    const response = await fetch(`${server!.url}/v1/accounts/acme/dashboard-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server!.apiKey}`, 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    return new URL(((await response.json()) as { url: string }).url);
  };

  test('X-Forwarded-Host and -Proto are ignored unless the operator names the proxy', async () => {
    server = await startTestServer(store);
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
    const link = await linkWith({ 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(link.origin).toBe(server.url);
  });

  test('behind a named proxy, the forwarded host and scheme make the link', async () => {
    server = await startTestServer(store, { trustProxy: 'loopback' });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
    const link = await linkWith({ 'x-forwarded-host': 'billing.example.com', 'x-forwarded-proto': 'https' });
    expect(link.origin).toBe('https://billing.example.com');
    // A forwarded scheme is still a header: only http and https make a link.
    expect((await linkWith({ 'x-forwarded-host': 'billing.example.com', 'x-forwarded-proto': 'javascript:alert(1)//' })).protocol).toBe('http:');
  });
});
