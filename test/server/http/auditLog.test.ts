// The audit log, on both stores: every request that may change something leaves one row naming
// its key, method, route, accounts and ids, status and request id, written in the transaction of
// its change, or after the answer when it was refused, failed or changed nothing. Every mutating
// route of the OpenAPI document is sampled here: a route added without a sample fails the test.
// Ledger entries name the key whose request made them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { openApiDocument } from '../../../server/src/http/openapi';
import { STORES, startTestServer, type TestServer } from '../support/servers';

interface Row {
  id: string;
  at: string;
  keyId: string;
  method: string;
  route: string;
  accounts: string[];
  ids: string[];
  status: number;
  transactional: boolean;
  requestId: string;
}

/** Every route that may change something: any method but GET, and authorize, which only asks. */
const MUTATING = Object.entries(openApiDocument('http://localhost', { refusals: [] }).paths)
  .flatMap(([path, operations]) => Object.keys(operations as object).map((method) => `${method.toUpperCase()} ${path}`))
  .filter((route) => !route.startsWith('GET ') && route !== 'POST /v1/accounts/{id}/authorize');

/** The credits preset as published, with chat input tokens at 50 credits per 1,000 instead of 40. */
function creditsAtFifty() {
  const catalog = parseYaml(readFileSync(join(PRESET_DIRECTORY, 'credits.yaml'), 'utf8'));
  catalog.services[0].price = { amount: 50, per: 1000 };
  return catalog;
}

describe.each(STORES)('the audit log on %s', (store) => {
  let server: TestServer;
  let admin: { id: string; key: string };
  let calls = 0;
  const as = async (key: string, method: string, path: string, body?: unknown) => {
    const requestId = `req-${store}-${++calls}`;
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': requestId },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { requestId, status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
  const call = (method: string, path: string, body?: unknown) => as(admin.key, method, path, body);
  /** The rows of a request, once the rows written after answers are out. */
  const rowsOf = async (requestId: string): Promise<Row[]> => {
    await server.audit.flush();
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { entries: Row[]; nextCursor: string | null } } = await server.call('GET', `/v1/audit-log?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      rows.push(...page.body.entries.filter((r) => r.requestId === requestId));
      cursor = page.body.nextCursor;
    } while (cursor);
    return rows;
  };
  const event = (id: string, seconds = 60) => ({ id, account: 'acme', type: 'call', timestamp: '2026-03-01T00:00:00Z', data: { duration_seconds: seconds } });

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' });
    admin = (await server.call('POST', '/v1/api-keys', { name: 'Operator', scopes: ['admin'] })).body;
  });
  afterAll(() => server.stop());

  test('a sample of every mutating route leaves one row, written with its change', async () => {
    /** Each sample: the request, and what its row says. Later samples use what earlier ones made. */
    const made: Record<string, string> = {};
    const samples: Array<{
      route: string;
      request: () => [string, string, unknown?];
      status: number;
      transactional: boolean;
      accounts?: string[];
      ids?: (answer: any) => unknown[];
    }> = [
      {
        // Its plan's fee is invoiced at the opening: the invoice is among what it made.
        route: 'POST /v1/accounts',
        request: () => ['POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'starter' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: () => [expect.stringMatching(/^inv_/)],
      },
      { route: 'PATCH /v1/accounts/{id}', request: () => ['PATCH', '/v1/accounts/acme', { name: 'Acme GmbH' }], status: 200, transactional: true, accounts: ['acme'] },
      {
        route: 'POST /v1/accounts/{id}/topups',
        request: () => ['POST', '/v1/accounts/acme/topups', { amount: '1000000', reference: 'pay-1' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [answer.id],
      },
      {
        route: 'POST /v1/accounts/{id}/adjustments',
        request: () => ['POST', '/v1/accounts/acme/adjustments', { amount: '-500', reason: 'Double-counted test call', reference: 'adj-1' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [answer.adjustment.id],
      },
      { route: 'POST /v1/events', request: () => ['POST', '/v1/events', event('e1')], status: 201, transactional: true, accounts: ['acme'], ids: () => ['e1'] },
      {
        route: 'POST /v1/events/batch',
        request: () => ['POST', '/v1/events/batch', { events: [event('e2'), event('e3')] }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => ['e2', 'e3'],
      },
      {
        route: 'POST /v1/events/{id}/amend',
        request: () => ['POST', '/v1/events/e2/amend', { account: 'acme', data: { duration_seconds: 120 }, reason: 'Duration was wrong' }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => ['e2'],
      },
      {
        route: 'POST /v1/events/{id}/void',
        request: () => ['POST', '/v1/events/e3/void', { account: 'acme', reason: 'Reported twice' }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => ['e3'],
      },
      {
        route: 'POST /v1/accounts/{id}/reservations',
        request: () => ['POST', '/v1/accounts/acme/reservations', { type: 'call', estimate: { duration_seconds: 60 } }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [(made['reservation'] = answer.id)],
      },
      {
        route: 'POST /v1/accounts/{id}/reservations/{reservation}/extend',
        request: () => ['POST', `/v1/accounts/acme/reservations/${made['reservation']}/extend`, { estimate: { duration_seconds: 120 } }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => [made['reservation']!],
      },
      {
        route: 'DELETE /v1/accounts/{id}/reservations/{reservation}',
        request: () => ['DELETE', `/v1/accounts/acme/reservations/${made['reservation']}`],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => [made['reservation']!],
      },
      {
        route: 'PUT /v1/accounts/{id}/auto-recharge',
        request: () => ['PUT', '/v1/accounts/acme/auto-recharge', { enabled: true, threshold: '1000', amount: '5000', monthlyLimit: '50000' }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
      },
      {
        route: 'POST /v1/alert-rules',
        request: () => ['POST', '/v1/alert-rules', { kind: 'balance_below', thresholds: ['1000'], account: 'acme' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [(made['rule'] = answer.id)],
      },
      { route: 'DELETE /v1/alert-rules/{id}', request: () => ['DELETE', `/v1/alert-rules/${made['rule']}`], status: 204, transactional: true, ids: () => [made['rule']!] },
      {
        route: 'POST /v1/webhooks',
        request: () => ['POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['balance.low'] }],
        status: 201,
        transactional: true,
        ids: (answer) => [(made['webhook'] = answer.id)],
      },
      {
        // No delivery to retry: refused, and recorded after the answer.
        route: 'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry',
        request: () => ['POST', `/v1/webhooks/${made['webhook']}/deliveries/del_none/retry`],
        status: 404,
        transactional: false,
        ids: () => [made['webhook']!, 'del_none'],
      },
      { route: 'DELETE /v1/webhooks/{id}', request: () => ['DELETE', `/v1/webhooks/${made['webhook']}`], status: 204, transactional: true, ids: () => [made['webhook']!] },
      {
        route: 'POST /v1/accounts/{id}/phone-numbers',
        request: () => ['POST', '/v1/accounts/acme/phone-numbers', { number: '+493012345678', type: 'local', country: 'DE' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [(made['number'] = answer.id)],
      },
      {
        route: 'DELETE /v1/accounts/{id}/phone-numbers/{number}',
        request: () => ['DELETE', `/v1/accounts/acme/phone-numbers/${made['number']}`],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => [made['number']],
      },
      {
        route: 'POST /v1/accounts/{id}/add-ons',
        request: () => ['POST', '/v1/accounts/acme/add-ons', { addOn: 'extra_credits_50k' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [answer.id],
      },
      {
        route: 'POST /v1/accounts/{id}/topup-requests',
        request: () => ['POST', '/v1/accounts/acme/topup-requests', { amount: '50000' }],
        status: 201,
        transactional: true,
        accounts: ['acme'],
        ids: (answer) => [(made['request'] = answer.id)],
      },
      {
        route: 'POST /v1/topup-requests/{id}/checkout',
        request: () => ['POST', `/v1/topup-requests/${made['request']}/checkout`, { url: 'https://checkout.example/cs_1' }],
        status: 200,
        transactional: true,
        ids: () => [made['request']!],
      },
      {
        // An upgrade applies at once, with its proration invoice.
        route: 'POST /v1/accounts/{id}/plan-change',
        request: () => ['POST', '/v1/accounts/acme/plan-change', { plan: 'growth' }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
        ids: () => [expect.stringMatching(/^inv_/)],
      },
      // Nothing was scheduled: the transaction says it changed nothing, and the row comes after the answer.
      { route: 'DELETE /v1/accounts/{id}/plan-change', request: () => ['DELETE', '/v1/accounts/acme/plan-change'], status: 200, transactional: false, accounts: ['acme'] },
      // Prepaid plans take no spend limit: refused, and recorded after the answer.
      { route: 'PUT /v1/accounts/{id}/spend-limit', request: () => ['PUT', '/v1/accounts/acme/spend-limit', { amount: '500.00' }], status: 422, transactional: false, accounts: ['acme'] },
      { route: 'DELETE /v1/accounts/{id}/spend-limit', request: () => ['DELETE', '/v1/accounts/acme/spend-limit'], status: 200, transactional: true, accounts: ['acme'] },
      {
        route: 'PUT /v1/accounts/{id}/prices',
        request: () => ['PUT', '/v1/accounts/acme/prices', { services: { call_connection: { price: { amount: '80', per: 60 } } } }],
        status: 200,
        transactional: true,
        accounts: ['acme'],
      },
      { route: 'DELETE /v1/accounts/{id}/prices/{service}', request: () => ['DELETE', '/v1/accounts/acme/prices/call_connection'], status: 200, transactional: true, accounts: ['acme'], ids: () => ['call_connection'] },
      { route: 'DELETE /v1/accounts/{id}/prices', request: () => ['DELETE', '/v1/accounts/acme/prices'], status: 200, transactional: true, accounts: ['acme'] },
      // This catalog limits no resource: refused by name.
      { route: 'PUT /v1/accounts/{id}/resources', request: () => ['PUT', '/v1/accounts/acme/resources', { documents: 1 }], status: 422, transactional: false, accounts: ['acme'] },
      { route: 'POST /v1/accounts/{id}/cancel', request: () => ['POST', '/v1/accounts/acme/cancel'], status: 200, transactional: true, accounts: ['acme'] },
      { route: 'DELETE /v1/accounts/{id}/cancel', request: () => ['DELETE', '/v1/accounts/acme/cancel'], status: 200, transactional: true, accounts: ['acme'] },
      // No cycle is due: nothing to close, nothing written with it.
      { route: 'POST /v1/accounts/{id}/cycles/close', request: () => ['POST', '/v1/accounts/acme/cycles/close'], status: 200, transactional: false, accounts: ['acme'] },
      {
        route: 'POST /v1/invoices/{id}/payment',
        request: () => ['POST', `/v1/invoices/${made['invoice']}/payment`, { status: 'paid', reference: 'card-1' }],
        status: 200,
        transactional: true,
        ids: () => [made['invoice']!],
      },
      {
        // The paid invoice credited: the note is an id the request made.
        route: 'POST /v1/invoices/{id}/credit-notes',
        request: () => ['POST', `/v1/invoices/${made['invoice']}/credit-notes`, { amount: '1.00', reason: 'Goodwill', refund: 'external' }],
        status: 201,
        transactional: true,
        ids: (answer) => [made['invoice']!, answer.id],
      },
      // A paid invoice is not voided: refused, and recorded after the answer.
      { route: 'POST /v1/invoices/{id}/void', request: () => ['POST', `/v1/invoices/${made['invoice']}/void`, { reason: 'Too late' }], status: 422, transactional: false, ids: () => [made['invoice']!] },
      // Issued already: answered as it stands, and recorded after the answer.
      { route: 'POST /v1/invoices/{id}/issue', request: () => ['POST', `/v1/invoices/${made['invoice']}/issue`], status: 200, transactional: false, ids: () => [made['invoice']!] },
      {
        // A signed link is made, nothing is stored.
        route: 'POST /v1/accounts/{id}/dashboard-links',
        request: () => ['POST', '/v1/accounts/acme/dashboard-links', {}],
        status: 201,
        transactional: false,
        accounts: ['acme'],
      },
      {
        route: 'POST /v1/api-keys',
        request: () => ['POST', '/v1/api-keys', { name: 'Reporting', scopes: ['read'] }],
        status: 201,
        transactional: true,
        ids: (answer) => [(made['key'] = answer.id)],
      },
      { route: 'DELETE /v1/api-keys/{id}', request: () => ['DELETE', `/v1/api-keys/${made['key']}`], status: 200, transactional: true, ids: () => [made['key']!] },
      {
        // The version is an id the request made.
        route: 'POST /v1/catalog/versions',
        request: () => ['POST', '/v1/catalog/versions', { catalog: creditsAtFifty() }],
        status: 201,
        transactional: true,
        ids: (answer) => [`catalog_version:${answer.version}`],
      },
      {
        // Acme, the one account, moves with its next closing: one transaction, one row.
        route: 'POST /v1/catalog/versions/{version}/migrate',
        request: () => ['POST', '/v1/catalog/versions/2/migrate', { at: 'cycle_end' }],
        status: 200,
        transactional: true,
        ids: () => ['2'],
      },
    ];
    expect(MUTATING.filter((route) => !samples.some((s) => s.route === route))).toEqual([]);

    const got: unknown[] = [];
    const expected: unknown[] = [];
    for (const sample of samples) {
      if (sample.route === 'POST /v1/invoices/{id}/payment') {
        made['invoice'] = (await call('GET', '/v1/accounts/acme/invoices')).body.invoices.find((i: { status: string }) => i.status === 'open')?.id;
      }
      const [method, path, body] = sample.request();
      const answer = await call(method, path, body);
      const rows = await rowsOf(answer.requestId);
      const pattern = sample.route.split(' ')[1]!.replace(/\{(\w+)\}/g, ':$1');
      expected.push({
        route: sample.route,
        status: sample.status,
        rows: [{
        keyId: admin.id,
        method,
        route: pattern,
        status: sample.status,
        transactional: sample.transactional,
        accounts: sample.accounts ?? [],
        ids: sample.ids?.(answer.body) ?? [],
        }],
      });
      got.push({
        route: sample.route,
        status: answer.status,
        rows: rows.map((r) => ({ keyId: r.keyId, method: r.method, route: r.route, status: r.status, transactional: r.transactional, accounts: r.accounts, ids: r.ids })),
      });
    }
    expect(got).toEqual(expected);
  });

  test('a duplicate event, a rejected one and a refused scope are recorded after the answer; authorize is not recorded', async () => {
    await server.call('POST', '/v1/accounts', { id: 'beta', name: 'Beta', plan: 'starter' });
    await server.call('POST', '/v1/accounts/beta/topups', { amount: '1000000', reference: 'pay-1' });
    const first = await call('POST', '/v1/events', { ...event('d1'), account: 'beta' });
    const again = await call('POST', '/v1/events', { ...event('d1'), account: 'beta' });
    const bad = await call('POST', '/v1/events', { ...event('d2', -5), account: 'beta' });
    expect([first.status, again.status, bad.status]).toEqual([201, 200, 422]);
    expect(await rowsOf(first.requestId)).toMatchObject([{ status: 201, transactional: true, ids: ['d1'] }]);
    expect(await rowsOf(again.requestId)).toMatchObject([{ status: 200, transactional: false, accounts: ['beta'], ids: ['d1'] }]);
    expect(await rowsOf(bad.requestId)).toMatchObject([{ status: 422, transactional: false, ids: ['d2'] }]);

    const reader = (await server.call('POST', '/v1/api-keys', { name: 'Reader', scopes: ['read'] })).body;
    const refused = await as(reader.key, 'POST', '/v1/accounts/beta/topups', { amount: '5', reference: 'sneaky' });
    expect(refused.status).toBe(403);
    expect(await rowsOf(refused.requestId)).toMatchObject([{ keyId: reader.id, status: 403, transactional: false, route: '/v1/accounts/beta/topups', accounts: ['beta'] }]);

    const asked = await call('POST', '/v1/accounts/beta/authorize', { type: 'call' });
    expect(asked.status).toBe(200);
    expect(await rowsOf(asked.requestId)).toEqual([]);
    // A request without a valid key is nobody's: the request log has it, the audit log does not.
    const anonymous = await as('wrong-key', 'POST', '/v1/accounts/beta/topups', { amount: '5', reference: 'anon' });
    expect(anonymous.status).toBe(401);
    expect(await rowsOf(anonymous.requestId)).toEqual([]);
  });

  test('a batch of hostile ids is recorded without them, and does not sink the rows written beside it', async () => {
    // A batch's events are checked one by one by their route: ids with a NUL or a lone surrogate
    // reach the audit trail, which keeps only what the store can hold.
    const hostile = [
      { ...event('nul\u0000id'), account: 'beta' },
      { ...event('lone\ud800'), account: 'beta\u0000' },
    ];
    const [batch, other] = await Promise.all([
      call('POST', '/v1/events/batch', { events: hostile }),
      call('POST', '/v1/accounts/nobody/topups', { amount: '5', reference: 'beside' }),
    ]);
    expect([batch.status, batch.body.rejected, other.status]).toEqual([200, 2, 404]);
    expect(await rowsOf(batch.requestId)).toMatchObject([{ status: 200, transactional: false, accounts: ['beta'], ids: [] }]);
    expect(await rowsOf(other.requestId)).toMatchObject([{ status: 404, transactional: false, accounts: ['nobody'] }]);
  });

  test('ledger entries name the key that made them; a cycle closed by the server names none', async () => {
    await server.call('POST', '/v1/accounts', { id: 'gamma', name: 'Gamma', plan: 'starter' });
    await call('POST', '/v1/accounts/gamma/topups', { amount: '5000', reference: 'pay-g' });
    await call('POST', '/v1/events', { ...event('g1'), account: 'gamma' });
    const ingest = (await server.call('POST', '/v1/api-keys', { name: 'Platform', scopes: ['ingest'] })).body;
    await as(ingest.key, 'POST', '/v1/events/batch', { events: [{ ...event('g2'), account: 'gamma' }] });
    // The next event finds March ended: the server closes the cycle first, then charges the event.
    server.clock.set('2026-04-01T10:00:00Z');
    await as(ingest.key, 'POST', '/v1/events', { ...event('g3'), account: 'gamma', timestamp: '2026-04-01T10:00:00Z' });
    await server.audit.flush();
    const entries: Array<{ kind: string; eventId: string | null; reference: string | null; keyId: string | null }> = (await server.call('GET', '/v1/accounts/gamma/ledger')).body.entries;
    const makers = entries.map((e) => [e.kind, e.eventId ?? e.reference, e.keyId]);
    expect(makers).toEqual([
      ['plan_credits', null, 'admin'],
      ['topup', 'pay-g', admin.id],
      ['usage', 'g1', admin.id],
      ['usage', 'g2', ingest.id],
      // March's credits lapse and April's are granted by the server's closing: no key made them.
      ['expiry', null, null],
      ['plan_credits', 'cycle:2026-04-01T00:00:00.000Z', null],
      ['usage', 'g3', ingest.id],
    ]);
    server.clock.set('2026-03-01T00:00:00Z');
  });

  test('a request that finds the cycle ended leaves one row: the closing it waited for writes none for it', async () => {
    await server.call('POST', '/v1/accounts', { id: 'delta', name: 'Delta', plan: 'starter' });
    await call('POST', '/v1/accounts/delta/topups', { amount: '5000', reference: 'pay-d1' });
    server.clock.set('2026-04-01T10:00:00Z');
    // March ended: the server closes it first, then tops up, in a second transaction.
    const topUp = await call('POST', '/v1/accounts/delta/topups', { amount: '5000', reference: 'pay-d2' });
    expect(topUp.status).toBe(201);
    expect(await rowsOf(topUp.requestId)).toMatchObject([{ status: 201, transactional: true, route: '/v1/accounts/:id/topups', accounts: ['delta'] }]);
    // Refused after a closing: one row, written after the answer, not a committed change.
    await server.call('POST', '/v1/accounts', { id: 'epsilon', name: 'Epsilon', plan: 'starter' });
    server.clock.set('2026-03-15T00:00:00Z');
    await call('POST', '/v1/accounts/epsilon/topups', { amount: '5000', reference: 'pay-e' });
    server.clock.set('2026-04-01T10:00:00Z');
    const conflict = await call('POST', '/v1/accounts/epsilon/topups', { amount: '6000', reference: 'pay-e' });
    expect(conflict.status).toBe(409);
    expect(await rowsOf(conflict.requestId)).toMatchObject([{ status: 409, transactional: false }]);
    expect(await rowsOf(conflict.requestId)).toHaveLength(1);
    server.clock.set('2026-03-01T00:00:00Z');
  });

  test('a change whose audit row cannot be written does not happen', async () => {
    await server.db.query(`ALTER TABLE audit_log RENAME TO audit_log_away`);
    try {
      const refused = await call('POST', '/v1/accounts/beta/topups', { amount: '5', reference: 'unrecorded' });
      expect(refused.status).toBeGreaterThanOrEqual(500);
    } finally {
      await server.db.query(`ALTER TABLE audit_log_away RENAME TO audit_log`);
    }
    expect(await server.db.query(`SELECT id FROM topups WHERE reference = 'unrecorded'`)).toEqual([]);
    expect((await call('POST', '/v1/accounts/beta/topups', { amount: '5', reference: 'unrecorded' })).status).toBe(201);
  });

  test('the log filters by account, key and time, pages newest first, and refuses to be changed', async () => {
    const all: Row[] = (await server.call('GET', '/v1/audit-log?limit=1000')).body.entries;
    expect(all.length).toBeGreaterThan(20);
    // Ids are minted in order: newest first is the ids falling.
    expect(all.map((r) => r.id)).toEqual(all.map((r) => r.id).sort().reverse());
    const acme: Row[] = (await server.call('GET', '/v1/audit-log?account=acme&limit=1000')).body.entries;
    expect(acme.length).toBeGreaterThan(10);
    expect(acme.every((r) => r.accounts.includes('acme'))).toBe(true);
    const byKey: Row[] = (await server.call('GET', `/v1/audit-log?key=${admin.id}&limit=1000`)).body.entries;
    expect(byKey.length).toBeGreaterThan(10);
    expect(byKey.every((r) => r.keyId === admin.id)).toBe(true);
    expect((await server.call('GET', '/v1/audit-log?from=2026-03-02&limit=1000')).body.entries).toEqual(all.filter((r) => r.at >= '2026-03-02'));
    expect((await server.call('GET', '/v1/audit-log?to=2026-03-02&limit=1000')).body.entries).toEqual(all.filter((r) => r.at < '2026-03-02'));

    const pages: Row[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { entries: Row[]; nextCursor: string | null } } = await server.call('GET', `/v1/audit-log?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.body.entries);
      cursor = page.body.nextCursor;
    } while (cursor);
    // Reading the log is not a change: the pages hold exactly the rows of the one read.
    expect(pages.map((r) => r.id)).toEqual(all.map((r) => r.id));

    expect((await server.call('GET', '/v1/audit-log?from=yesterday')).body.error).toMatchObject({ code: 'validation_failed', field: 'from' });
    expect((await server.call('GET', '/v1/audit-log?cursor=abc')).body.error).toMatchObject({ field: 'cursor' });
    await expect(server.db.query(`UPDATE audit_log SET status = 200`)).rejects.toThrow(/append-only/);
    await expect(server.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  test('a key limited to an account reads only the rows about that account alone', async () => {
    const reader = (await server.call('POST', '/v1/api-keys', { name: 'Beta reader', scopes: ['read'], accounts: ['beta'] })).body;
    const seen = await as(reader.key, 'GET', '/v1/audit-log?limit=1000');
    expect(seen.status).toBe(200);
    expect(seen.body.entries.length).toBeGreaterThan(0);
    expect(seen.body.entries.every((r: Row) => r.accounts.length > 0 && r.accounts.every((a) => a === 'beta'))).toBe(true);
    expect((await as(reader.key, 'GET', '/v1/audit-log?account=acme')).status).toBe(404);
  });
});
