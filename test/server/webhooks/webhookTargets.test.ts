// Webhook targets: link-local addresses and cloud metadata services are refused in every spelling,
// at subscription and again at send time after DNS; `public` refuses loopback and private networks
// too; the delivery log keeps a short single-line excerpt and cannot tell open ports from closed.
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusedAddress, refusedHost } from '../../../server/src/domain/webhooks/WebhookTarget';
import { guardedAgents } from '../../../server/src/webhooks/targetGuard';
import { insertEndpoint } from '../../../server/src/store/webhooks';
import { STORES, startTestServer, type TestServer } from '../support/servers';

describe('which addresses may receive webhooks', () => {
  test.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['http://2852039166/', 'link-local'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://METADATA.google.internal./', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://100.100.100.200/', 'metadata'],
    ['http://168.63.129.16/', 'metadata'],
    ['http://[::a9fe:a9fe]/', 'link-local'],
    ['http://metadata.google.internal../', 'metadata'],
    ['http://0.0.0.0:8080/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
  ])('%s is refused under either policy (%s)', (url, reason) => {
    for (const policy of ['private', 'public'] as const) expect(refusedHost(new URL(url), policy)).toContain(reason);
  });

  test.each(['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::1]/', 'http://[fd00::1]/', 'http://10.0.0.1/', 'http://192.168.1.20/', 'http://100.64.0.1/', 'http://localhost:5678/', 'http://[::ffff:127.0.0.1]/'])(
    '%s is allowed by default and refused when only public targets are',
    (url) => {
      expect(refusedHost(new URL(url), 'private')).toBeUndefined();
      expect(refusedHost(new URL(url), 'public')).toMatch(/only public targets/);
    },
  );

  test('a public address is allowed under both policies', () => {
    expect(refusedAddress('93.184.216.34', 'public')).toBeUndefined();
    expect(refusedAddress('2606:2800:220:1:248:1893:25c8:1946', 'public')).toBeUndefined();
  });

  test('at send time the addresses a name resolves to are judged, not the name', async () => {
    const target: Server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as AddressInfo).port;
    const agents = guardedAgents('public');
    try {
      // "localhost" resolves to loopback: refused by the lookup, before any connection.
      const error = await new Promise<Error>((resolve) => {
        get(`http://localhost:${port}/`, { agent: agents.httpAgent, family: 4 }, () => resolve(new Error('connected'))).on('error', resolve);
      });
      expect(error.message).toMatch(/localhost resolves to 127\.0\.0\.1: .*only public targets/);
    } finally {
      agents.httpAgent.destroy();
      target.close();
    }
  });
});

describe.each(STORES)('webhook subscriptions and deliveries on %s', (store) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  test.each(['http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/', 'http://[::ffff:a9fe:a9fe]/', 'http://[fe80::1]/'])(
    'a subscription to %s is refused naming url',
    async (url) => {
      server = await startTestServer(store);
      const response = await server.call('POST', '/v1/webhooks', { url, events: ['balance.low'] });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', field: 'url' });
      expect((await server.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
    },
  );

  test('loopback is allowed by default and refused with CREDITMETER_WEBHOOK_TARGETS=public', async () => {
    server = await startTestServer(store);
    expect((await server.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:5678/webhook/x', events: ['balance.low'] })).status).toBe(201);
    await server.stop();
    server = await startTestServer(store, { webhooks: { targets: 'public' } });
    for (const url of ['http://127.0.0.1:5678/', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::1]/', 'http://[fd00::1]/', 'http://localhost/']) {
      const response = await server.call('POST', '/v1/webhooks', { url, events: ['balance.low'] });
      expect([url, response.status, response.body.error?.field]).toEqual([url, 422, 'url']);
    }
  });

  test('a subscription whose target the policy refuses later is not sent to: the attempt says why', async () => {
    server = await startTestServer(store, { webhooks: { targets: 'public' } });
    let requests = 0;
    const target: Server = createServer((_req, res) => {
      requests += 1;
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      // As if the name had pointed elsewhere when it was subscribed.
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
      await insertEndpoint(server.db, { id: 'whe_old', url, events: ['topup.succeeded'], description: null, createdAt: server.clock.now(), disabledAt: null, disabledReason: null }, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
      await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
      await server.call('POST', '/v1/accounts/acme/topups', { amount: '10', reference: 'pay-1' });
      await server.dispatcher.wake();
      const [delivery] = (await server.call('GET', '/v1/webhooks/whe_old/deliveries')).body.deliveries;
      expect(delivery.lastError).toMatch(/^target refused: 127\.0\.0\.1 is a loopback address/);
      expect(requests).toBe(0);
    } finally {
      target.close();
    }
  });

  test('a proxy named in the environment is not used: it would connect for the server, past the address check', async () => {
    server = await startTestServer(store);
    let proxied = 0;
    let direct = 0;
    const proxy: Server = createServer((_req, res) => {
      proxied += 1;
      res.end();
    });
    const target: Server = createServer((_req, res) => {
      direct += 1;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const saved = { http: process.env['http_proxy'], HTTP: process.env['HTTP_PROXY'], no: process.env['NO_PROXY'] };
    process.env['http_proxy'] = process.env['HTTP_PROXY'] = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    delete process.env['NO_PROXY'];
    try {
      await server.call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, events: ['topup.succeeded'] });
      await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
      await server.call('POST', '/v1/accounts/acme/topups', { amount: '10', reference: 'pay-1' });
      await server.dispatcher.wake();
      expect([direct, proxied]).toEqual([1, 0]);
    } finally {
      for (const [name, value] of [['http_proxy', saved.http], ['HTTP_PROXY', saved.HTTP], ['NO_PROXY', saved.no]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      proxy.close();
      target.close();
    }
  });

  test('the delivery log keeps a short single-line excerpt of an error answer', async () => {
    server = await startTestServer(store);
    const target: Server = createServer((_req, res) => res.writeHead(500).end(`Internal error\nadmin password: hunter2\n${'x'.repeat(1000)}`));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const created = await server.call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, events: ['topup.succeeded'] });
      await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
      await server.call('POST', '/v1/accounts/acme/topups', { amount: '10', reference: 'pay-1' });
      await server.dispatcher.wake();
      const [delivery] = (await server.call('GET', `/v1/webhooks/${created.body.id}/deliveries`)).body.deliveries;
      expect(delivery.lastStatusCode).toBe(500);
      expect(delivery.lastError.startsWith('HTTP 500: Internal error admin password: hunter2 xxx')).toBe(true);
      expect(delivery.lastError).not.toContain('\n');
      // "HTTP 500: " and at most 80 characters of the answer, marked as cut.
      expect(delivery.lastError.length).toBeLessThanOrEqual(10 + 80 + 1);
    } finally {
      target.close();
    }
  });

  test('a closed port and an open port that hangs up read alike in the delivery log', async () => {
    server = await startTestServer(store);
    const hangsUp: TcpServer = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => hangsUp.listen(0, '127.0.0.1', resolve));
    const closed: TcpServer = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      const ids: string[] = [];
      for (const port of [(hangsUp.address() as AddressInfo).port, closedPort]) {
        ids.push((await server.call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/`, events: ['topup.succeeded'] })).body.id);
      }
      await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'payg' });
      await server.call('POST', '/v1/accounts/acme/topups', { amount: '10', reference: 'pay-1' });
      await server.dispatcher.wake();
      const errors = [];
      for (const id of ids) errors.push((await server.call('GET', `/v1/webhooks/${id}/deliveries`)).body.deliveries[0].lastError);
      expect(errors[0]).toBe('no HTTP response (the connection failed or timed out)');
      expect(errors[1]).toBe(errors[0]);
      // Nor does the time an attempt took: a refused connection is quicker than a silent port.
      for (const id of ids) expect((await server.call('GET', `/v1/webhooks/${id}/deliveries`)).body.deliveries[0].history[0].durationMs).toBeNull();
    } finally {
      hangsUp.close();
    }
  });
});
