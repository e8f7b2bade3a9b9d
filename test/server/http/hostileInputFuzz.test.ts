// Every route of the OpenAPI document, fed hostile input in every field, path id and query
// parameter: no request gets a 500. The routes and their bodies come from the document, so a new
// route is covered the day it is documented.
import { STORES, startTestServer, type TestServer } from '../support/servers';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
};
type Operation = { parameters?: { name: string; in: string }[]; requestBody?: { content: { 'application/json': { schema: Schema } } } };
type Path = (string | number)[];

const T0 = '2026-03-01T00:00:00Z';
/** Candidates for a string with a pattern: the first that matches is the field's sample. */
const STRING_CANDIDATES = ['acme', 'balance.low', 'documents', 'DE', '10', '19', '+493012345678', T0, '2026-03-01', 'x'];
const HOSTILE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '', ' ', 'x'.repeat(20_000), '1e309', '-0', 'NaN', '../../../etc/passwd', "'; DROP TABLE accounts; --", '%00', '\u202e\u0301'];
const HOSTILE_NUMBERS = [1e308, -1e308, 2 ** 53 + 1, -1, 0, 0.5, 1e-12, 123456789012345680000];
const HOSTILE_SHAPES = [null, true, {}, [], '1', 1];
const HOSTILE_PATH_IDS = ['ac%00me', '%00', '%ED%A0%80', '%F0%9F%98%80', '..', '.%2e', 'x'.repeat(3000), "acme'--", '%25', 'acme%20'];

function sample(schema: Schema | undefined, name = ''): unknown {
  if (!schema) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return sample(options[0], name);
  if (schema.allOf) return sample(schema.allOf[0], name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      if (schema.properties) return Object.fromEntries(Object.entries(schema.properties).map(([key, inner]) => [key, sample(inner, key)]));
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return { documents: sample(schema.additionalProperties, name) };
      return {};
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items, name));
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'date-time') return T0;
      if (schema.format === 'email') return 'owner@example.com';
      if (schema.format === 'uri') return 'http://127.0.0.1:9/hook';
      if (/amount|threshold|limit|balance/i.test(name)) return '10';
      if (schema.pattern) return STRING_CANDIDATES.find((c) => new RegExp(schema.pattern!, 'u').test(c)) ?? 'x';
      return name === 'plan' ? 'starter' : 'acme';
    }
    default:
      return 'x';
  }
}

/** Every path in `value` to a value that is not an object or array, with object keys as well. */
function leaves(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((inner, i) => leaves(inner, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([key, inner]) => leaves(inner, [...path, key]));
  }
  return [path];
}

function replaced(value: unknown, path: Path, by: unknown): unknown {
  if (path.length === 0) return by;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = replaced(copy[path[0]!], path.slice(1), by);
  return copy;
}

function hostileFor(leaf: unknown): unknown[] {
  return [...(typeof leaf === 'number' ? HOSTILE_NUMBERS : HOSTILE_STRINGS), ...HOSTILE_SHAPES];
}

describe.each(STORES)('hostile input on every documented route on %s', (store) => {
  let server: TestServer;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    server = await startTestServer(store, { now: T0 });
    await server.call('POST', '/v1/accounts', { id: 'acme', name: 'Acme', plan: 'starter' });
    await server.call('POST', '/v1/accounts/acme/topups', { amount: '100', reference: 'pay-1' });
    paths = (await server.call('GET', '/v1/openapi.json')).body.paths;
  });
  afterAll(async () => {
    await server.stop();
  });

  async function serverErrors(requests: { method: string; path: string; body?: unknown }[]): Promise<string[]> {
    const failures: string[] = [];
    for (const request of requests) {
      const response = await server.call(request.method, request.path, request.body);
      if (response.status >= 500) failures.push(`${request.method} ${request.path} ${JSON.stringify(request.body)?.slice(0, 200)} → ${response.status}`);
    }
    return failures;
  }

  const fill = (template: string, id: string) => template.replace(/\{[^}]+\}/g, id);

  test('the document names the routes that change things', () => {
    const mutating = Object.values(paths).flatMap((operations) => Object.keys(operations).filter((m) => ['post', 'put', 'patch'].includes(m)));
    expect(mutating.length).toBeGreaterThanOrEqual(20);
  });

  test('no hostile field of any POST, PUT or PATCH body gets a 500', async () => {
    const requests: { method: string; path: string; body?: unknown }[] = [];
    for (const [template, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['post', 'put', 'patch'].includes(method)) continue;
        const schema = operation.requestBody?.content['application/json'].schema;
        const valid = schema ? sample(schema) : {};
        const path = fill(template, 'acme');
        requests.push({ method: method.toUpperCase(), path, body: valid });
        for (const shape of HOSTILE_SHAPES) requests.push({ method: method.toUpperCase(), path, body: shape === null ? 'null' : shape });
        for (const leaf of leaves(valid)) {
          const current = leaf.reduce<any>((v, key) => v?.[key], valid);
          for (const hostile of hostileFor(current)) requests.push({ method: method.toUpperCase(), path, body: replaced(valid, leaf, hostile) });
          // The key itself hostile too.
          const last = leaf[leaf.length - 1];
          if (typeof last === 'string') {
            const parent = leaf.slice(0, -1);
            const owner = parent.reduce<any>((v, key) => v?.[key], valid);
            for (const key of ['\u0000', '\ud800', '__proto__', 'constructor']) requests.push({ method: method.toUpperCase(), path, body: replaced(valid, parent, { ...owner, [key]: current }) });
          }
        }
      }
    }
    expect(requests.length).toBeGreaterThan(500);
    expect(await serverErrors(requests)).toEqual([]);
  });

  test('no hostile path id or query parameter of any route gets a 500', async () => {
    const requests: { method: string; path: string; body?: unknown }[] = [];
    for (const [template, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const upper = method.toUpperCase();
        const body = method === 'get' || method === 'delete' ? undefined : {};
        if (template.includes('{')) for (const id of HOSTILE_PATH_IDS) requests.push({ method: upper, path: fill(template, id), body });
        for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
          for (const value of ['%00', '%ED%A0%80', '0000-01-01', '9999999999999999999999', '-1', 'a,b,,c', '%5B%5D']) {
            requests.push({ method: upper, path: `${fill(template, 'acme')}?account=acme&${parameter.name}=${value}`, body });
            requests.push({ method: upper, path: `${fill(template, 'acme')}?${parameter.name}=${value}&${parameter.name}=x`, body });
          }
        }
      }
    }
    expect(await serverErrors(requests)).toEqual([]);
  });
});
