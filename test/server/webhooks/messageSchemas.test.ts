// Every webhook type's data against its schema, on both stores: scenarios through the API make the
// server send each type, and every row of the outbox parses strictly with its type's schema. The
// schemas must be no looser than what is sent: each optional field is seen absent and present, each
// nullable one null and set, each variant of a union sent, and an unknown key anywhere is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESET_DIRECTORY } from '../../../server/src/catalog/loadCatalog';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../../server/src/domain/webhooks/WebhookEvent';
import { WEBHOOK_MESSAGES } from '../../../server/src/domain/webhooks/WebhookMessages';
import { openApiDocument } from '../../../server/src/http/openapi';
import { webhookDataSchema } from '../../../server/src/http/webhookPayloads';
import { STORES, startTestServer, type TestServer } from '../support/servers';

type Row = {
  type: string;
  data: Record<string, unknown>;
};

/** What the walk below reads of a zod 4 schema (its `def`); the test does not import zod itself. */
interface SchemaNode {
  def: { type: string; shape?: Record<string, SchemaNode>; options?: SchemaNode[]; element?: SchemaNode; innerType?: SchemaNode };
  safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } };
}

const schemaOf = (type: WebhookEventType) => WEBHOOK_MESSAGES[type] as unknown as SchemaNode;
const isType = (type: string): type is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

// A credits catalog that prices no balance: top-up and recharge requests then carry price null.
function unpricedCreditsCatalog(dir: string): string {
  const preset = readFileSync(join(PRESET_DIRECTORY, 'credits.yaml'), 'utf8');
  const unpriced = preset.replace(/^topUps: .*$/m, 'topUps: {}');
  expect(unpriced).not.toBe(preset);
  const file = join(dir, 'credits-unpriced.yaml');
  writeFileSync(file, unpriced);
  return file;
}

async function outboxOf(server: TestServer): Promise<Row[]> {
  return server.db.query<Row>('SELECT type, data FROM outbox_messages ORDER BY occurred_at, id');
}

async function withServer(store: (typeof STORES)[number], options: Parameters<typeof startTestServer>[1], scenario: (server: TestServer) => Promise<void>): Promise<Row[]> {
  const server = await startTestServer(store, options);
  try {
    await scenario(server);
    return await outboxOf(server);
  } finally {
    await server.stop();
  }
}

function expectStatus(response: { status: number; body: any }, status: number) {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}

/**
 * Prepaid credits: top-ups (a paid one with its invoice), alerts, pauses, auto-recharge with its
 * requests and failures, a customer's top-up request, an operator's adjustments, corrected events,
 * a rented and released number, a closed cycle without an invoice, a credit note refunded to the
 * balance.
 */
async function creditsScenario(server: TestServer): Promise<void> {
  let n = 0;
  const chat = async (account: string) =>
    expectStatus(
      await server.call('POST', '/v1/events', { id: `chat-${(n += 1)}`, account, type: 'chat', timestamp: server.clock.now().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } }),
      201,
    );
  expectStatus(await server.call('POST', '/v1/accounts', { id: 'pre', name: 'Prepaid', plan: 'payg', email: 'owner@pre.example', anchor: '2026-03-01T00:00:00Z' }), 201);
  expectStatus(await server.call('POST', '/v1/alert-rules', { account: 'pre', kind: 'balance_below', thresholds: ['50'] }), 201);
  expectStatus(await server.call('POST', '/v1/alert-rules', { account: 'pre', kind: 'cycle_spend_above', thresholds: ['100'] }), 201);
  expectStatus(await server.call('POST', '/v1/accounts/pre/topups', { amount: '100', reference: 'pay-1' }), 201);
  // 40 credits a chat: 60, 20 (low), -20 (paused, depleted; 120 spent, above 100).
  for (let i = 0; i < 3; i += 1) await chat('pre');
  expectStatus(await server.call('PUT', '/v1/accounts/pre/auto-recharge', { enabled: true, threshold: '50', amount: '25', monthlyLimit: '1000', timeoutMinutes: 30 }), 200);
  // Paid: invoiced at once (invoice.created, kind topup).
  expectStatus(await server.call('POST', '/v1/accounts/pre/topups', { amount: '100', reference: 'pay-2', paid: { net: '0.04', currency: 'EUR' } }), 201);
  await chat('pre'); // 40: below 50 again, a recharge is requested
  const open = (await server.call('GET', '/v1/accounts/pre/auto-recharge')).body.openRequest;
  expectStatus(await server.call('POST', '/v1/accounts/pre/topups', { amount: '25', reference: open.reference }), 201);
  // Three requests in a row without a top-up: the third failure switches auto-recharge off.
  for (let failure = 1; failure <= 3; failure += 1) {
    await chat('pre');
    server.clock.advance(31 * 60_000);
    await server.deadlines.check();
  }
  expectStatus(await server.call('POST', '/v1/accounts/pre/topup-requests', { amount: '50000' }), 201);
  // An operator's credit that expires (-55 + 500 = 445), and a debit, which never does (345).
  expectStatus(
    await server.call('POST', '/v1/accounts/pre/adjustments', { amount: '500', reason: 'Goodwill', reference: 'adj-1', expiresAt: '2026-03-31T00:00:00Z' }),
    201,
  );
  expectStatus(await server.call('POST', '/v1/accounts/pre/adjustments', { amount: '-100', reason: 'A chat counted twice', reference: 'adj-2' }), 201);

  expectStatus(await server.call('POST', '/v1/accounts', { id: 'renter', name: 'Renter', plan: 'payg', anchor: '2026-03-01T00:00:00Z' }), 201);
  expectStatus(await server.call('POST', '/v1/accounts/renter/topups', { amount: '20000', reference: 'pay-1' }), 201);
  // Corrections: a chat voided, another amended.
  expectStatus(await server.call('POST', '/v1/events', { id: 'wrong', account: 'renter', type: 'chat', timestamp: server.clock.now().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } }), 201);
  expectStatus(await server.call('POST', '/v1/events/wrong/amend', { account: 'renter', data: { input_tokens: 2000, output_tokens: 0 }, reason: 'tokens counted wrong' }), 200);
  expectStatus(await server.call('POST', '/v1/events/wrong/void', { account: 'renter', reason: 'a test chat' }), 200);
  const rented = expectStatus(await server.call('POST', '/v1/accounts/renter/phone-numbers', { number: '+4930123456', type: 'local', country: 'DE' }), 201);
  expectStatus(await server.call('DELETE', `/v1/accounts/renter/phone-numbers/${rented.body.id}`), 200);

  // A credit note refunded to the balance: 10.00 EUR of a paid opening invoice, as 25,000 credits.
  expectStatus(await server.call('POST', '/v1/accounts', { id: 'refunded', name: 'Refunded', plan: 'starter', anchor: '2026-03-01T00:00:00Z' }), 201);
  const [opening] = (await server.call('GET', '/v1/accounts/refunded/invoices')).body.invoices;
  expectStatus(await server.call('POST', `/v1/invoices/${opening.id}/payment`, { status: 'paid' }), 200);
  expectStatus(await server.call('POST', `/v1/invoices/${opening.id}/credit-notes`, { amount: '10.00', reason: 'Goodwill', refund: 'balance' }), 201);

  server.clock.set('2026-04-01T00:00:01Z');
  expectStatus(await server.call('POST', '/v1/accounts/renter/cycles/close'), 200);
}

/** Prepaid credits the catalog prices not: requests carry no price, and an account without e-mail. */
async function unpricedScenario(server: TestServer): Promise<void> {
  expectStatus(await server.call('POST', '/v1/accounts', { id: 'bare', name: 'Bare', plan: 'payg', anchor: '2026-03-01T00:00:00Z' }), 201);
  expectStatus(await server.call('POST', '/v1/accounts/bare/topups', { amount: '100', reference: 'pay-1' }), 201);
  expectStatus(await server.call('PUT', '/v1/accounts/bare/auto-recharge', { enabled: true, threshold: '50', amount: '25', monthlyLimit: '1000', timeoutMinutes: 30 }), 200);
  for (const id of ['b1', 'b2']) {
    expectStatus(await server.call('POST', '/v1/events', { id, account: 'bare', type: 'chat', timestamp: server.clock.now().toISOString(), data: { input_tokens: 1000, output_tokens: 0 } }), 201);
  }
  expectStatus(await server.call('POST', '/v1/accounts/bare/topup-requests', { amount: '1000' }), 201);
}

/**
 * Postpaid plans: invoices of each kind, a failed payment, the spend limit, an allowance alert, a
 * downgrade refused at the cycle's end, an upgrade, and a downgrade applied at the cycle's end;
 * a void invoice and a credit note refunded externally, a business buyer's invoice held for its address.
 */
async function plansScenario(server: TestServer): Promise<void> {
  const shop = (method: string, path: string, body?: unknown) => server.call(method, `/v1/accounts/shop${path}`, body);
  expectStatus(await server.call('POST', '/v1/accounts', { id: 'shop', name: 'Shop', plan: 'scale', anchor: '2026-04-01T00:00:00Z' }), 201);
  expectStatus(await server.call('POST', '/v1/alert-rules', { account: 'shop', kind: 'allowance_percent', meter: 'conversations', thresholds: [0.0005] }), 201);
  expectStatus(await shop('PUT', '/spend-limit', { amount: '0.05' }), 200);
  server.clock.set('2026-04-02T10:00:00Z');
  const at = server.clock.now().toISOString();
  expectStatus(await server.call('POST', '/v1/events', { id: 'c1', account: 'shop', type: 'chat', timestamp: at, data: { input_tokens: 10, output_tokens: 10, conversation: 'c1' } }), 201);
  expectStatus(await server.call('POST', '/v1/events', { id: 'v1', account: 'shop', type: 'call', timestamp: at, data: { duration_seconds: 60 } }), 201);

  // Scheduled while the account fits Basic; at the cycle's end it no longer does.
  expectStatus(await shop('PUT', '/resources', { documents: 800, assistants: 2 }), 200);
  expectStatus(await shop('POST', '/plan-change', { plan: 'basic' }), 200);
  expectStatus(await shop('PUT', '/resources', { documents: 5000, assistants: 2 }), 200);
  server.clock.set('2026-05-01T00:00:00Z');
  expectStatus(await shop('POST', '/cycles/close'), 200);

  server.clock.set('2026-05-02T00:00:00Z');
  expectStatus(await shop('POST', '/plan-change', { plan: 'enterprise' }), 200);
  expectStatus(await shop('POST', '/plan-change', { plan: 'scale' }), 200);
  server.clock.set('2026-06-01T00:00:00Z');
  expectStatus(await shop('POST', '/cycles/close'), 200);

  const [invoice, earlier] = (await shop('GET', '/invoices')).body.invoices;
  expectStatus(await server.call('POST', `/v1/invoices/${invoice.id}/payment`, { status: 'failed', reason: 'card_declined' }), 200);
  // Corrections: the failed invoice voided, an earlier one credited against what it asks.
  expectStatus(await server.call('POST', `/v1/invoices/${invoice.id}/void`, { reason: 'Billed twice' }), 200);
  expectStatus(await server.call('POST', `/v1/invoices/${earlier.id}/credit-notes`, { amount: '1.00', reason: 'Goodwill', refund: 'external' }), 201);

  // A business buyer without an address: its opening invoice is held (invoice.draft_blocked), then issued when the address comes.
  expectStatus(await server.call('POST', '/v1/accounts', { id: 'firm', name: 'Firm GmbH', plan: 'basic', billing: { vatId: 'DE123456789' } }), 201);
  expectStatus(await server.call('PATCH', '/v1/accounts/firm', { billing: { vatId: 'DE123456789', address: ['Torstraße 1', '10119 Berlin'] } }), 200);
}

/** Why a message does not parse, for a failure message that names the type and the issues. */
function parseFailure(row: Row) {
  if (!isType(row.type)) return { type: row.type, issues: 'not a webhook type' };
  const result = schemaOf(row.type).safeParse(row.data);
  return result.success ? undefined : { type: row.type, data: row.data, issues: result.error?.issues };
}

/**
 * How each optional, nullable and union node of the schemas was met by the messages. Per node, not
 * per type: a shape two types share (phoneNumberView's, in number.rented and number.released) is
 * covered by both together.
 */
class Coverage {
  private readonly required = new Map<SchemaNode, string[]>();
  private readonly seen = new Map<SchemaNode, Set<string>>();
  private readonly paths = new Map<SchemaNode, string>();

  /** Walks a value that parses with `node`. */
  walk(node: SchemaNode, value: unknown, path: string): void {
    const mark = (what: string, wanted: string[]) => {
      if (!this.paths.has(node)) this.paths.set(node, path);
      this.required.set(node, wanted);
      const seen = this.seen.get(node) ?? new Set<string>();
      seen.add(what);
      this.seen.set(node, seen);
    };
    switch (node.def.type) {
      case 'optional':
        mark(value === undefined ? 'absent' : 'present', ['absent', 'present']);
        if (value !== undefined) this.walk(node.def.innerType!, value, path);
        return;
      case 'nullable':
        mark(value === null ? 'null' : 'set', ['null', 'set']);
        if (value !== null) this.walk(node.def.innerType!, value, path);
        return;
      case 'union': {
        const options = node.def.options!;
        const matched = options.findIndex((option) => option.safeParse(value).success);
        mark(`variant ${matched}`, options.map((_, i) => `variant ${i}`));
        if (matched >= 0) this.walk(options[matched]!, value, path);
        return;
      }
      case 'object':
        for (const [key, field] of Object.entries(node.def.shape!)) this.walk(field, (value as Record<string, unknown>)[key], `${path}.${key}`);
        return;
      case 'array':
        for (const [i, item] of (value as unknown[]).entries()) this.walk(node.def.element!, item, `${path}[${i}]`);
        return;
    }
  }

  /** Each node that was never met every way it allows, with the ways it was not. */
  unmet(): string[] {
    return [...this.required].flatMap(([node, wanted]) => {
      const missing = wanted.filter((w) => !this.seen.get(node)?.has(w));
      return missing.length > 0 ? [`${this.paths.get(node)}: never ${missing.join(', ')}`] : [];
    });
  }
}

/** Copies of `data` with an unknown key added to one object each: at the top, and in every nested object. */
function withUnknownKeys(data: unknown, path = 'data'): { path: string; data: unknown }[] {
  if (Array.isArray(data)) {
    return data.flatMap((item, i) => withUnknownKeys(item, `${path}[${i}]`).map((c) => ({ path: c.path, data: data.map((x, j) => (j === i ? c.data : x)) })));
  }
  if (data === null || typeof data !== 'object') return [];
  const object = data as Record<string, unknown>;
  const here = { path, data: { ...object, unexpected: true } };
  const nested = Object.entries(object).flatMap(([key, value]) =>
    withUnknownKeys(value, `${path}.${key}`).map((c) => ({ path: c.path, data: { ...object, [key]: c.data } })),
  );
  return [here, ...nested];
}

describe.each(STORES)('webhook messages on %s', (store) => {
  let rows: Row[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditmeter-messages-'));
    try {
      rows = [
        ...(await withServer(store, { catalog: 'credits', now: '2026-03-01T00:00:00Z' }, creditsScenario)),
        ...(await withServer(store, { catalog: unpricedCreditsCatalog(dir), now: '2026-03-01T00:00:00Z' }, unpricedScenario)),
        ...(await withServer(store, { catalog: 'plans', now: '2026-04-01T00:00:00Z' }, plansScenario)),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('the scenarios make the server send every webhook type', () => {
    expect([...new Set(rows.map((r) => r.type))].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  test("every message in the outbox parses with its type's schema: no field missing, none unknown, each of its kind", () => {
    expect(rows.length).toBeGreaterThan(WEBHOOK_EVENT_TYPES.length);
    expect(rows.map(parseFailure).filter(Boolean)).toEqual([]);
  });

  test('no schema is looser than what is sent: each optional field is seen absent and present, each nullable one null and set, each variant sent', () => {
    const coverage = new Coverage();
    for (const row of rows) if (isType(row.type) && !parseFailure(row)) coverage.walk(schemaOf(row.type), row.data, row.type);
    expect(coverage.unmet()).toEqual([]);
  });

  test('a key the schema does not know is refused in every type, at the top and in every nested object', () => {
    const accepted: string[] = [];
    for (const type of WEBHOOK_EVENT_TYPES) {
      const sample = rows.find((r) => r.type === type);
      if (!sample) continue;
      for (const changed of withUnknownKeys(sample.data)) {
        if (schemaOf(type).safeParse(changed.data).success) accepted.push(`${type}: ${changed.path}.unexpected`);
      }
    }
    expect(accepted).toEqual([]);
  });
});

test("the OpenAPI document describes each webhook type's data by its schema, with nothing reserved", () => {
  const webhooks = openApiDocument('http://localhost', { refusals: [] }).webhooks as Record<string, { post: { requestBody: { content: { 'application/json': { schema: any } } } } }>;
  expect(Object.keys(webhooks)).toEqual([...WEBHOOK_EVENT_TYPES]);
  for (const type of WEBHOOK_EVENT_TYPES) {
    const envelope = webhooks[type]!.post.requestBody.content['application/json'].schema;
    expect(envelope.properties.type).toEqual({ const: type });
    expect(envelope.properties.data).toEqual(webhookDataSchema(type));
  }
  const text = JSON.stringify(webhooks);
  expect(text).not.toMatch(/reserved/i);
  // Closed objects only: a loose one documents fields as "anything else".
  expect(text).not.toContain('"additionalProperties":{}');
});

test('a test server whose outbox holds a message its schema refuses fails when it stops, naming the message', async () => {
  const server = await startTestServer('pglite');
  await server.db.query(`INSERT INTO outbox_messages (id, type, account_id, data, occurred_at) VALUES ('msg_bad', 'balance.depleted', NULL, '{"account":"a"}'::jsonb, now())`);
  await expect(server.stop()).rejects.toThrow(/balance\.depleted msg_bad/);
});
