// Scoped API keys, on both stores: ingest (usage events, authorize, reservations), read (every
// read, reports, invoices, dashboard links) and admin (everything). Every route of the OpenAPI
// document is called with each scope, against the scope this table says it needs: a route added
// without an entry here fails the test. A key limited to accounts reaches nothing else, by any route.
import { openApiDocument } from '../../../server/src/http/openapi';
import { KEY, post, startProcess } from '../support/processes';
import { createPostgresDatabase, STORES, startTestServer, type TestServer } from '../support/servers';
import { waitFor } from '../../support/eventually';

type Scope = 'ingest' | 'read' | 'admin' | 'any' | 'public';

/** What each route needs: the spec of the scopes. */
const NEEDS: Record<string, Scope> = {
  'GET /v1/health': 'public',
  'GET /v1/ready': 'public',
  'GET /v1/openapi.json': 'public',
  'GET /v1/api-keys/current': 'any',
  'POST /v1/api-keys': 'admin',
  'GET /v1/api-keys': 'admin',
  'DELETE /v1/api-keys/{id}': 'admin',
  'GET /v1/audit-log': 'read',
  'GET /v1/events': 'read',
  'POST /v1/events': 'ingest',
  'POST /v1/events/batch': 'ingest',
  'GET /v1/events/{id}': 'read',
  'GET /v1/events/{id}/explanation': 'read',
  'POST /v1/events/{id}/void': 'admin',
  'POST /v1/events/{id}/amend': 'admin',
  'POST /v1/accounts/{id}/authorize': 'ingest',
  'POST /v1/accounts/{id}/reservations': 'ingest',
  'GET /v1/accounts/{id}/reservations': 'ingest',
  'GET /v1/accounts/{id}/reservations/{reservation}': 'ingest',
  'DELETE /v1/accounts/{id}/reservations/{reservation}': 'ingest',
  'POST /v1/accounts/{id}/reservations/{reservation}/extend': 'ingest',
  'POST /v1/accounts': 'admin',
  'GET /v1/accounts': 'read',
  'GET /v1/accounts/{id}': 'read',
  'PATCH /v1/accounts/{id}': 'admin',
  'GET /v1/accounts/{id}/balance': 'read',
  'GET /v1/accounts/{id}/ledger': 'read',
  'POST /v1/accounts/{id}/topups': 'admin',
  'POST /v1/accounts/{id}/adjustments': 'admin',
  'POST /v1/accounts/{id}/topup-requests': 'admin',
  'GET /v1/topup-requests/{id}': 'read',
  'POST /v1/topup-requests/{id}/checkout': 'admin',
  'POST /v1/webhooks': 'admin',
  'GET /v1/webhooks': 'read',
  'GET /v1/webhooks/{id}': 'read',
  'DELETE /v1/webhooks/{id}': 'admin',
  'GET /v1/webhooks/{id}/deliveries': 'read',
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry': 'admin',
  'POST /v1/alert-rules': 'admin',
  'GET /v1/alert-rules': 'read',
  'GET /v1/alert-rules/{id}': 'read',
  'DELETE /v1/alert-rules/{id}': 'admin',
  'PUT /v1/accounts/{id}/auto-recharge': 'admin',
  'GET /v1/accounts/{id}/auto-recharge': 'read',
  'PUT /v1/accounts/{id}/spend-limit': 'admin',
  'GET /v1/accounts/{id}/spend-limit': 'read',
  'DELETE /v1/accounts/{id}/spend-limit': 'admin',
  'PUT /v1/accounts/{id}/prices': 'admin',
  'GET /v1/accounts/{id}/prices': 'read',
  'DELETE /v1/accounts/{id}/prices': 'admin',
  'DELETE /v1/accounts/{id}/prices/{service}': 'admin',
  'GET /v1/reports/costs': 'read',
  'GET /v1/reports/forecast': 'read',
  'GET /v1/reports/spikes': 'read',
  'POST /v1/accounts/{id}/phone-numbers': 'admin',
  'GET /v1/accounts/{id}/phone-numbers': 'read',
  'DELETE /v1/accounts/{id}/phone-numbers/{number}': 'admin',
  'GET /v1/accounts/{id}/cycles': 'read',
  'POST /v1/accounts/{id}/cycles/close': 'admin',
  'GET /v1/plans': 'read',
  'GET /v1/catalog/events': 'read',
  'GET /v1/catalog': 'read',
  'GET /v1/catalog/versions': 'read',
  'POST /v1/catalog/versions': 'admin',
  'GET /v1/catalog/versions/{version}': 'read',
  'POST /v1/catalog/versions/{version}/migrate': 'admin',
  'POST /v1/accounts/{id}/plan-change': 'admin',
  'DELETE /v1/accounts/{id}/plan-change': 'admin',
  'GET /v1/accounts/{id}/recommendations': 'read',
  'POST /v1/accounts/{id}/add-ons': 'admin',
  'POST /v1/accounts/{id}/cancel': 'admin',
  'DELETE /v1/accounts/{id}/cancel': 'admin',
  'PUT /v1/accounts/{id}/resources': 'admin',
  'GET /v1/accounts/{id}/invoices': 'read',
  'GET /v1/accounts/{id}/upcoming-invoice': 'read',
  'GET /v1/invoices/{id}': 'read',
  'GET /v1/invoices/{id}.html': 'read',
  'GET /v1/invoices/{id}.pdf': 'read',
  'GET /v1/invoices/{id}.xml': 'read',
  'POST /v1/invoices/{id}/payment': 'admin',
  'POST /v1/invoices/{id}/void': 'admin',
  'POST /v1/invoices/{id}/issue': 'admin',
  'POST /v1/invoices/{id}/credit-notes': 'admin',
  'GET /v1/invoices/{id}/credit-notes': 'read',
  'GET /v1/accounts/{id}/credit-notes': 'read',
  'GET /v1/credit-notes/{id}': 'read',
  'GET /v1/credit-notes/{id}.html': 'read',
  'GET /v1/credit-notes/{id}.pdf': 'read',
  'GET /v1/credit-notes/{id}.xml': 'read',
  'POST /v1/accounts/{id}/dashboard-links': 'read',
};

const ROUTES = Object.entries(openApiDocument('http://localhost', { refusals: [] }).paths).flatMap(([path, operations]) =>
  Object.keys(operations as object).map((method) => `${method.toUpperCase()} ${path}`),
);

test('every route of the OpenAPI document has its scope in the table, and the table no route that is gone', () => {
  expect(ROUTES.filter((route) => !(route in NEEDS))).toEqual([]);
  expect(Object.keys(NEEDS).filter((route) => !ROUTES.includes(route))).toEqual([]);
});

describe.each(STORES)('API keys on %s', (store) => {
  let server: TestServer;
  const keys: Record<string, string> = {};
  const as = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
  const create = async (body: object) => (await server.call('POST', '/v1/api-keys', body)).body;

  beforeAll(async () => {
    server = await startTestServer(store, { catalog: 'minutes', now: '2026-03-01T00:00:00Z' });
    for (const id of ['acme', 'beta']) await server.call('POST', '/v1/accounts', { id, name: id, plan: 'starter' });
    for (const scope of ['ingest', 'read', 'admin'] as const) keys[scope] = (await create({ name: `${scope} key`, scopes: [scope] })).key;
  });
  afterAll(() => server.stop());

  test('a new key is shown once, with a recognisable prefix; the list shows its prefix, never the key', async () => {
    const created = await server.call('POST', '/v1/api-keys', { name: 'Assistant platform', scopes: ['ingest'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Assistant platform', scopes: ['ingest'], accounts: null, revokedAt: null });
    expect(created.body.key).toMatch(/^cm_live_[A-Za-z0-9_-]{32}$/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 12));
    const listed = (await server.call('GET', '/v1/api-keys')).body.apiKeys;
    expect(listed.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ prefix: created.body.prefix, scopes: ['ingest'] });
    expect(JSON.stringify(listed)).not.toContain(created.body.key);
    expect((await as(created.body.key, 'GET', '/v1/api-keys/current')).body).toMatchObject({ id: created.body.id, name: 'Assistant platform', scopes: ['ingest'] });
  });

  test('each route answers each scope as the table says: 403 insufficient_scope naming the scope, or goes through', async () => {
    const concrete = (path: string) =>
      path.replace('{id}', 'ghost').replace('{reservation}', 'res_ghost').replace('{number}', '%2B15550000000').replace('{deliveryId}', 'del_ghost');
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const needs = NEEDS[route]!;
      for (const scope of ['ingest', 'read', 'admin'] as const) {
        const answer = await as(keys[scope]!, method, concrete(path), method === 'GET' || method === 'DELETE' ? undefined : {});
        const allowed = needs === 'public' || needs === 'any' || scope === 'admin' || needs === scope;
        const refused = answer.status === 403 && answer.body?.error?.code === 'insufficient_scope';
        if (allowed === refused || answer.status === 401) wrong.push(`${route} with ${scope}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
        if (refused && answer.body.error.scope !== needs) wrong.push(`${route} with ${scope}: names ${answer.body.error.scope}, needs ${needs}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the refusal says what is needed and what the key has', async () => {
    const refused = await as(keys['ingest']!, 'GET', '/v1/accounts/acme/balance');
    expect(refused).toEqual({
      status: 403,
      body: { error: { code: 'insufficient_scope', scope: 'read', message: 'GET /v1/accounts/acme/balance needs the read scope; this key (ingest key) has ingest.' } },
    });
  });

  test('an admin key cannot be limited to accounts, nor a key to an account that does not exist; scopes are named', async () => {
    expect((await server.call('POST', '/v1/api-keys', { name: 'x', scopes: ['admin'], accounts: ['acme'] })).body.error).toMatchObject({ code: 'validation_failed', field: 'accounts' });
    expect((await server.call('POST', '/v1/api-keys', { name: 'x', scopes: ['read'], accounts: ['nobody'] })).body.error).toMatchObject({ field: 'accounts', message: "no account with id 'nobody'" });
    expect((await server.call('POST', '/v1/api-keys', { name: 'x', scopes: ['root'] })).body.error.field).toBe('scopes[0]');
    expect((await server.call('POST', '/v1/api-keys', { name: 'x', scopes: [] })).body.error.field).toBe('scopes');
    // Only admin keys create keys.
    expect((await as(keys['read']!, 'POST', '/v1/api-keys', { name: 'y', scopes: ['read'] })).status).toBe(403);
  });

  test("a key limited to acme cannot read beta by any route, the dashboard's included", async () => {
    const reader = (await create({ name: 'Acme reader', scopes: ['read'], accounts: ['acme'] })).key as string;
    await server.call('POST', '/v1/events', { id: 'b1', account: 'beta', type: 'call', timestamp: '2026-03-01T00:00:00Z', data: { duration_seconds: 60 } });
    server.clock.set('2026-04-01T00:00:00Z');
    await server.call('POST', '/v1/accounts/beta/cycles/close');
    const [betaInvoice] = (await server.call('GET', '/v1/accounts/beta/invoices')).body.invoices;
    expect(betaInvoice).toBeDefined();
    const betaNote = (await server.call('POST', `/v1/invoices/${betaInvoice.id}/credit-notes`, { amount: '1.00', reason: 'Goodwill', refund: 'external' })).body;

    expect((await as(reader, 'GET', '/v1/accounts')).body.accounts.map((a: { id: string }) => a.id)).toEqual(['acme']);
    expect((await as(reader, 'GET', '/v1/accounts/acme/balance')).status).toBe(200);
    const notFound = [
      '/v1/accounts/beta',
      '/v1/accounts/beta/balance',
      '/v1/accounts/beta/ledger',
      '/v1/accounts/beta/invoices',
      '/v1/accounts/beta/cycles',
      '/v1/accounts/beta/recommendations',
      '/v1/events/b1?account=beta',
      '/v1/events/b1/explanation?account=beta',
      '/v1/reports/costs?account=beta&period=current_cycle',
      '/v1/reports/forecast?account=beta',
      '/v1/reports/spikes?account=beta',
      `/v1/invoices/${betaInvoice.id}`,
      `/v1/invoices/${betaInvoice.id}.pdf`,
      `/v1/invoices/${betaInvoice.id}.html`,
      `/v1/invoices/${betaInvoice.id}.xml`,
      `/v1/invoices/${betaInvoice.id}.pdf?format=zugferd`,
      `/v1/invoices/${betaInvoice.id}/credit-notes`,
      `/v1/credit-notes/${betaNote.id}`,
      `/v1/credit-notes/${betaNote.id}.pdf`,
      `/v1/credit-notes/${betaNote.id}.html`,
      `/v1/credit-notes/${betaNote.id}.xml`,
      '/v1/accounts/beta/credit-notes',
      '/dashboard/api/summary?account=beta',
    ];
    for (const path of notFound) expect({ path, status: (await as(reader, 'GET', path)).status }).toEqual({ path, status: 404 });
    expect((await as(reader, 'POST', '/v1/accounts/beta/dashboard-links', {})).status).toBe(404);
    // Reads about every account at once are not for it.
    expect((await as(reader, 'GET', '/v1/reports/costs')).body.error).toMatchObject({ code: 'validation_failed', field: 'account' });
    expect((await as(reader, 'GET', '/v1/webhooks')).status).toBe(403);
    expect((await as(reader, 'GET', '/v1/alert-rules')).status).toBe(403);
    expect((await as(reader, 'GET', '/dashboard/api/summary?account=acme')).status).toBe(200);
  });

  test('an ingest key limited to acme records for acme; an event for beta is not found, alone in a batch too', async () => {
    const ingest = (await create({ name: 'Acme platform', scopes: ['ingest'], accounts: ['acme'] })).key as string;
    const call = (id: string, account: string) => ({ id, account, type: 'call', timestamp: '2026-04-01T00:00:00Z', data: { duration_seconds: 60 } });
    expect((await as(ingest, 'POST', '/v1/events', call('i1', 'acme'))).status).toBe(201);
    expect((await as(ingest, 'POST', '/v1/events', call('i2', 'beta'))).body.error).toMatchObject({ code: 'not_found', resource: 'account', id: 'beta' });
    const batch = (await as(ingest, 'POST', '/v1/events/batch', { events: [call('i3', 'acme'), call('i4', 'beta')] })).body;
    expect(batch).toMatchObject({ accepted: 1, rejected: 1 });
    expect(batch.results[1]).toMatchObject({ status: 'rejected', error: { code: 'not_found', id: 'beta' } });
    expect((await server.call('GET', '/v1/events/i4?account=beta')).status).toBe(404);
    expect((await as(ingest, 'POST', '/v1/accounts/beta/authorize', { type: 'call' })).status).toBe(404);
  });

  test('a revoked key is refused at once; /metrics takes admin keys only', async () => {
    const created = await create({ name: 'Short-lived', scopes: ['read'] });
    expect((await as(created.key, 'GET', '/v1/plans')).status).toBe(200);
    expect((await server.call('DELETE', `/v1/api-keys/${created.id}`)).body).toMatchObject({ id: created.id });
    expect((await as(created.key, 'GET', '/v1/plans')).status).toBe(401);
    expect((await server.call('GET', '/v1/api-keys')).body.apiKeys.find((k: { id: string }) => k.id === created.id).revokedAt).not.toBeNull();
    expect((await server.call('DELETE', '/v1/api-keys/key_nope')).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${keys['read']}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${keys['admin']}` } })).status).toBe(200);
  });
});

describe('API keys across two server processes on one PostgreSQL', () => {
  test('a key revoked through one process is refused by the other within a second', async () => {
    const database = await createPostgresDatabase();
    const servers = await Promise.all([startProcess(database.url), startProcess(database.url)]);
    try {
      const [a, b] = [servers[0]!, servers[1]!];
      const created = (await post(a.url, '/v1/api-keys', { name: 'Roaming', scopes: ['read'] })).body as { id: string; key: string };
      const read = async (url: string) => (await fetch(`${url}/v1/plans`, { headers: { authorization: `Bearer ${created.key}` } })).status;
      // Made in a, known to b as soon as b hears of it.
      await waitFor(() => read(b.url), { until: (status) => status === 200, timeoutMs: 1000, message: 'process b to accept the key made in a' });
      expect(await read(b.url)).toBe(200);

      const revoked = await fetch(`${a.url}/v1/api-keys/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
      expect(revoked.status).toBe(200);
      const since = Date.now();
      await waitFor(() => read(b.url), { until: (status) => status === 401, timeoutMs: 1000, message: 'process b to refuse the key revoked through a' });
      expect(await read(b.url)).toBe(401);
      expect(Date.now() - since).toBeLessThan(1000);
    } finally {
      for (const s of servers) s.child.kill('SIGKILL');
      await database.drop();
    }
  });
});
