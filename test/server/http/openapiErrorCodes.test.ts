// The OpenAPI document lists every error code the API can answer, from the lists the server answers from.
import { loadCatalog } from '../../../server/src/catalog/loadCatalog';
import { DOMAIN_ERROR_CODES } from '../../../server/src/domain/errors';
import { catalogRule, estimateUnrated, REFUSAL_CODES, subscriptionEnded } from '../../../server/src/domain/refusals';
import { errorBody, HTTP_ERROR_CODES } from '../../../server/src/http/errorResponse';
import { openApiDocument } from '../../../server/src/http/openapi';

const credits = loadCatalog('credits');
const documented = (catalog: Parameters<typeof openApiDocument>[1]): string[] =>
  openApiDocument('http://localhost', catalog).components.schemas.Error.properties.error.properties.code.enum;

describe('the error codes in the OpenAPI document', () => {
  test('are the domain codes (a refusal under its reason), the catalog rules\' codes and the HTTP layer\'s, each once', () => {
    const expected = [
      ...DOMAIN_ERROR_CODES.filter((code) => code !== 'refused'),
      ...REFUSAL_CODES,
      ...credits.refusals.map((rule) => rule.code),
      ...HTTP_ERROR_CODES,
    ];
    const codes = documented(credits);
    expect([...codes].sort()).toEqual([...new Set(expected)].sort());
    expect(new Set(codes).size).toBe(codes.length);
  });

  test('golden codes, written out', () => {
    const codes = documented(credits);
    for (const code of [
      'validation_failed',
      'not_found',
      'plan_limits_exceeded',
      'subscription_ended',
      'subscription_ending',
      'insufficient_balance',
      'spend_limit_reached',
      'invoice_paid',
      'delivery_pending',
      'reservation_expired',
      'whatsapp_window_closed',
      'unauthorized',
      'link_expired',
      'rate_limited',
      'malformed_json',
      'internal_error',
    ]) {
      expect(codes).toContain(code);
    }
    // Internal names never reach a caller: a refusal answers with its reason, a carried code with its own.
    for (const internal of ['refused', 'catalog_rule', 'estimate_unrated']) expect(codes).not.toContain(internal);
    // A catalog without refusal rules documents none.
    expect(documented({ refusals: [] })).not.toContain('whatsapp_window_closed');
  });

  test('every error response refers to the one schema', () => {
    const doc = openApiDocument('http://localhost', credits);
    const responses = Object.values(doc.paths).flatMap((operations) => Object.values(operations as Record<string, { responses?: Record<string, unknown> }>))
      .flatMap((operation) => Object.entries(operation.responses ?? {}))
      .filter(([status]) => Number(status) >= 400);
    expect(responses.length).toBeGreaterThan(50);
    for (const [, response] of responses) expect(response).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  });
});

describe('a refusal in an error body', () => {
  test('answers with its reported code and message, none of the facts behind it', () => {
    expect(errorBody(subscriptionEnded(new Date('2026-04-01T00:00:00Z'), 'usage'))).toEqual({
      error: { code: 'subscription_ended', message: 'The subscription ended on 2026-04-01; it takes no more usage.' },
    });
    expect(errorBody(catalogRule({ code: 'whatsapp_window_closed', message: 'Outside the window.' }))).toEqual({ error: { code: 'whatsapp_window_closed', message: 'Outside the window.' } });
    const unrated = estimateUnrated({ code: 'unpriced_event', type: 'sms', message: "The catalog 'x' has no price for this sms event." });
    expect(errorBody(unrated)).toEqual({ error: { code: 'unpriced_event', message: "The catalog 'x' has no price for this sms event." } });
  });
});
