// The catalog's event language (issue 24): types and fields the operator declares, checked where
// the catalog loads, and the validators compiled from it once per catalog.
import { join } from 'node:path';
import { loadCatalog, parseCatalog } from '../../../server/src/catalog/loadCatalog';
import { eventSchemaFor } from '../../../server/src/domain/event/eventSchemas';
import { parseUsageEvent } from '../../../server/src/domain/event/UsageEvent';
import { matches } from '../../../server/src/domain/rating/matches';

const MODELS = join(__dirname, '../fixtures/models.yaml');
const receivedAt = new Date('2026-03-01T00:00:00Z');

/** A catalog of one plan and the given services (and declarations), as YAML. */
function catalogText(services: string, events = ''): string {
  return [
    'name: test',
    'balanceUnit: credits',
    'currency: EUR',
    ...(events ? ['events:', events] : []),
    'services:',
    services,
    'plans:',
    '  - { code: payg, name: Pay as you go, billing: prepaid }',
  ].join('\n');
}

function catalogError(services: string, events = ''): string {
  try {
    parseCatalog(catalogText(services, events), 'test.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  return 'loaded';
}

describe('the event language of a catalog', () => {
  test('the four presets load and speak the five built-in types alone', () => {
    for (const preset of ['minutes', 'credits', 'plans', 'conversations']) {
      expect(eventSchemaFor(loadCatalog(preset)).types).toEqual(['chat', 'call', 'sms', 'whatsapp', 'ai_conversation']);
    }
  });

  test('a declared type comes after the built-in ones, and its dimension fields are report dimensions', () => {
    const schemas = eventSchemaFor(loadCatalog(MODELS));
    expect(schemas.types).toEqual(['chat', 'call', 'sms', 'whatsapp', 'ai_conversation', 'email']);
    expect(schemas.dimensions).toEqual(['model']);
  });

  test('validators are compiled once per catalog object', () => {
    const catalog = loadCatalog(MODELS);
    expect(eventSchemaFor(catalog)).toBe(eventSchemaFor(catalog));
  });

  test("a declared type's fields are listed with type, requirement and bounds, after the common dimensions", () => {
    const email = eventSchemaFor(loadCatalog(MODELS)).fields.get('email')!;
    expect(email).toEqual([
      { name: 'assistant', type: 'string', required: false, declared: false, dimension: true },
      { name: 'campaign', type: 'string', required: false, declared: false, dimension: true },
      { name: 'number', type: 'string', required: false, declared: false, dimension: true },
      { name: 'messages', type: 'integer', required: true, declared: true, min: 1, max: 1000, dimension: false },
      { name: 'model', type: 'string', required: false, declared: true, dimension: true },
      { name: 'urgent', type: 'boolean', required: false, declared: true, dimension: false },
    ]);
  });

  test('a built-in type keeps its fields and adds the declared ones', () => {
    const chat = eventSchemaFor(loadCatalog(MODELS)).fields.get('chat')!;
    expect(chat.map((f) => f.name)).toEqual(['input_tokens', 'output_tokens', 'tool_calls', 'assistant', 'conversation', 'model']);
    expect(chat.find((f) => f.name === 'model')).toEqual({
      name: 'model',
      type: 'string',
      required: false,
      declared: true,
      enum: ['small', 'large'],
      dimension: true,
    });
    expect(chat.find((f) => f.name === 'input_tokens')).toMatchObject({ type: 'integer', required: true, min: 0, max: 1_000_000_000 });
  });

  test('an event is checked against the declaration of its type, naming the field', () => {
    const { sent } = eventSchemaFor(loadCatalog(MODELS));
    const event = (type: string, data: object) => parseUsageEvent({ id: 'e1', account: 'a1', type, data }, receivedAt, sent);
    const field = (result: ReturnType<typeof event>) => (result.success ? 'accepted' : result.error.issues[0]!.path.join('.'));
    expect(field(event('email', { messages: 2, model: 'small', urgent: true }))).toBe('accepted');
    expect(field(event('email', { messages: '2' }))).toBe('data.messages');
    expect(field(event('email', { messages: 0 }))).toBe('data.messages');
    expect(field(event('email', { messages: 1.5 }))).toBe('data.messages');
    expect(field(event('email', { model: 'small' }))).toBe('data.messages');
    expect(field(event('email', { messages: 1, urgent: 'yes' }))).toBe('data.urgent');
    expect(field(event('chat', { input_tokens: 10, output_tokens: 0, model: 'medium' }))).toBe('data.model');
    expect(field(event('fax', { pages: 1 }))).toBe('type');
    // The built-in rules still hold: an SMS needs its text or segments.
    expect(field(event('sms', { direction: 'outbound' }))).toBe('data.text');
  });

  test('the presets refuse a field they do not declare', () => {
    const result = parseUsageEvent(
      { id: 'e1', account: 'a1', type: 'chat', data: { input_tokens: 1, output_tokens: 1, model: 'small' } },
      receivedAt,
      eventSchemaFor(loadCatalog('credits')).sent,
    );
    expect(result.success ? [] : result.error.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['model'], path: ['data'] });
  });

  test('a service naming an undeclared type is a catalog error naming its path', () => {
    expect(
      catalogError('  - { code: fax_page, name: Fax page, channel: fax, event: fax, quantity: { type: per_event }, unit: page, price: { amount: 1 } }'),
    ).toContain("services[0].event: unknown event type 'fax' (the catalog has chat, call, sms, whatsapp, ai_conversation)");
  });

  test('a when or quantity field the type does not have is a catalog error naming its path', () => {
    expect(
      catalogError(
        '  - { code: chat_in, name: Chat in, channel: ai_chat, event: chat, when: { model: small }, quantity: { type: field, field: input_tokens }, unit: token, price: { amount: 40, per: 1000 } }',
      ),
    ).toContain("services[0].when.model: chat has no field 'model'");
    expect(
      catalogError(
        '  - { code: chat_in, name: Chat in, channel: ai_chat, event: chat, quantity: { type: field, field: tokens }, unit: token, price: { amount: 40, per: 1000 } }',
      ),
    ).toContain("services[0].quantity.field: chat has no field 'tokens'");
    expect(
      catalogError(
        '  - { code: email_sent, name: E-mail, channel: email, event: email, quantity: { type: field, field: model }, unit: message, price: { amount: 3 } }',
        '  email: { fields: { model: { type: string } } }',
      ),
    ).toContain("services[0].quantity.field: 'model' is a string field, not a number");
  });

  test("channel is a free code, but not one of the recurring fees' channels", () => {
    expect(
      catalogError('  - { code: fax_page, name: Fax page, channel: fax, event: call, quantity: { type: per_event }, unit: page, price: { amount: 1 } }'),
    ).toBe('loaded');
    expect(
      catalogError(
        '  - { code: fax_page, name: Fax page, channel: subscription, event: call, quantity: { type: per_event }, unit: page, price: { amount: 1 } }',
      ),
    ).toContain("services[0].channel: 'subscription' is the channel of recurring fees");
  });

  test('a when value of the wrong type for a declared field is a catalog error', () => {
    expect(
      catalogError(
        '  - { code: chat_in, name: Chat in, channel: ai_chat, event: chat, when: { model: 4 }, quantity: { type: field, field: input_tokens }, unit: token, price: { amount: 40, per: 1000 } }',
        '  chat: { fields: { model: { type: string } } }',
      ),
    ).toContain("services[0].when.model: 'model' is a string field");
  });

  test('a catalog may not redefine a built-in field', () => {
    expect(
      catalogError(
        '  - { code: chat_in, name: Chat in, channel: ai_chat, event: chat, quantity: { type: field, field: input_tokens }, unit: token, price: { amount: 40, per: 1000 } }',
        '  chat: { fields: { input_tokens: { type: string } } }',
      ),
    ).toContain("events.chat.fields.input_tokens: 'input_tokens' is a built-in field of chat");
  });

  test('a declared field is checked as it is declared: only a string is a dimension, bounds only on numbers', () => {
    const message = catalogError(
      '  - { code: email_sent, name: E-mail, channel: email, event: email, quantity: { type: per_event }, unit: message, price: { amount: 3 } }',
      '  email: { fields: { size: { type: integer, dimension: true }, subject: { type: string, max: 3 }, kind: { type: integer, enum: [1, a] } } }',
    );
    expect(message).toContain('events.email.fields.size.dimension: only a string field can be a report dimension');
    expect(message).toContain('events.email.fields.subject.max: min and max apply only to integer and number fields');
    expect(message).toContain('events.email.fields.kind.enum[1]: must be an integer');
  });

  describe('a declared field a service counts as its quantity', () => {
    const imageService =
      '  - { code: image_count, name: Images, channel: images, event: image, quantity: { type: field, field: count }, unit: image, price: { amount: 0.10 } }';
    const imageEvent = (count: number) => {
      const catalog = parseCatalog(catalogText(imageService, '  image: { fields: { count: { type: integer, required: true } } }'), 'test.yaml');
      const result = parseUsageEvent({ id: 'e1', account: 'a1', type: 'image', data: { count } }, receivedAt, eventSchemaFor(catalog).sent);
      return result.success ? 'accepted' : `${result.error.issues[0]!.path.join('.')}: ${result.error.issues[0]!.message}`;
    };

    test('takes min 0 and max 1,000,000,000 when it declares none: -1,000,000 images (a credit of 100,000 EUR) and 1e300 are refused naming data.count', () => {
      expect(imageEvent(3)).toBe('accepted');
      expect(imageEvent(0)).toBe('accepted');
      expect(imageEvent(1_000_000_000)).toBe('accepted');
      expect(imageEvent(-1_000_000)).toMatch(/^data\.count: .*>=0/);
      expect(imageEvent(-1)).toMatch(/^data\.count:/);
      expect(imageEvent(1_000_000_001)).toMatch(/^data\.count: .*<=1000000000/);
      expect(imageEvent(1e300)).toMatch(/^data\.count:/);
    });

    test('is listed with the bounds it takes, declared or not', () => {
      const catalog = parseCatalog(
        catalogText(imageService, '  image: { fields: { count: { type: integer, required: true }, pixels: { type: integer, min: -5 } } }'),
        'test.yaml',
      );
      const fields = eventSchemaFor(catalog).fields.get('image')!;
      expect(fields.find((f) => f.name === 'count')).toMatchObject({ min: 0, max: 1_000_000_000 });
      // A field no service counts keeps what it declares.
      expect(fields.find((f) => f.name === 'pixels')).toMatchObject({ min: -5 });
      expect(fields.find((f) => f.name === 'pixels')!.max).toBeUndefined();
    });

    test('may not declare a negative min, a negative enum value or a max above 1e15: a catalog error naming the path', () => {
      const message = catalogError(imageService, '  image: { fields: { count: { type: integer, min: -1000000, max: 1e300 } } }');
      expect(message).toContain('events.image.fields.count.min: a service counts this field as its quantity: min must be 0 or more');
      expect(message).toContain('events.image.fields.count.max: a service counts this field as its quantity: max must be at most 1000000000000000');
      expect(catalogError(imageService, '  image: { fields: { count: { type: integer, enum: [1, -2] } } }')).toContain(
        'events.image.fields.count.enum[1]: a service counts this field as its quantity: must not be negative',
      );
      // A duration counted from a declared field is a quantity too.
      expect(
        catalogError(
          '  - { code: render, name: Render, channel: images, event: image, quantity: { type: duration, field: seconds, increments: { first: 1, next: 1 } }, unit: second, price: { amount: 1 } }',
          '  image: { fields: { seconds: { type: number, min: -60 } } }',
        ),
      ).toContain('events.image.fields.seconds.min: a service counts this field as its quantity: min must be 0 or more');
      expect(catalogError(imageService, '  image: { fields: { count: { type: integer, min: 0, max: 1000 } } }')).toBe('loaded');
    });

    test('a type named as an object property (constructor) is an unknown type, not a failure', () => {
      expect(
        catalogError(
          '  - { code: built, name: Built, channel: images, event: constructor, quantity: { type: field, field: count }, unit: image, price: { amount: 1 } }',
        ),
      ).toContain("services[0].event: unknown event type 'constructor'");
    });
  });

  test('min and max are finite numbers, min not above max', () => {
    const service = '  - { code: email_sent, name: E-mail, channel: email, event: email, quantity: { type: per_event }, unit: message, price: { amount: 3 } }';
    expect(catalogError(service, '  email: { fields: { size: { type: number, min: .inf } } }')).toContain('events.email.fields.size.min');
    expect(catalogError(service, '  email: { fields: { size: { type: number, max: -.inf } } }')).toContain('events.email.fields.size.max');
    expect(catalogError(service, '  email: { fields: { size: { type: number, min: .nan } } }')).toContain('events.email.fields.size.min');
    expect(catalogError(service, '  email: { fields: { size: { type: number, min: 5, max: 1 } } }')).toContain(
      'events.email.fields.size.min: must not be greater than max',
    );
  });

  test("a dimension may not take the name of a report's own grouping: it would be grouped by that instead", () => {
    const service = '  - { code: email_sent, name: E-mail, channel: email, event: email, quantity: { type: per_event }, unit: message, price: { amount: 3 } }';
    for (const name of ['service', 'day', 'channel', 'month']) {
      expect(catalogError(service, `  email: { fields: { ${name}: { type: string, dimension: true } } }`)).toContain(
        `events.email.fields.${name}.dimension: '${name}' is a report grouping of its own`,
      );
    }
    // chat has no campaign of its own, but reports group by the common one.
    expect(catalogError(service, '  chat: { fields: { campaign: { type: string, dimension: true } } }')).toContain(
      "events.chat.fields.campaign.dimension: 'campaign' is a report grouping of its own",
    );
    // Not a dimension: not grouped, so not shadowed.
    expect(catalogError(service, '  email: { fields: { day: { type: string } } }')).toBe('loaded');
  });

  test('a catalog marks at most 4 distinct fields as dimensions; one name on two types counts once', () => {
    const service = '  - { code: email_sent, name: E-mail, channel: email, event: email, quantity: { type: per_event }, unit: message, price: { amount: 3 } }';
    const dimension = '{ type: string, dimension: true }';
    expect(
      catalogError(
        service,
        `  chat: { fields: { model: ${dimension}, region: ${dimension} } }\n  email: { fields: { model: ${dimension}, region: ${dimension}, team: ${dimension}, tier: ${dimension} } }`,
      ),
    ).toBe('loaded');
    expect(
      catalogError(service, `  email: { fields: { model: ${dimension}, region: ${dimension}, team: ${dimension}, tier: ${dimension}, plan: ${dimension} } }`),
    ).toContain('events.email.fields.plan.dimension: at most 4 distinct fields of a catalog are report dimensions');
  });

  test("a dimension's value has at most 128 characters, as a label: a longer one is refused naming the field", () => {
    const service = '  - { code: email_sent, name: E-mail, channel: email, event: email, quantity: { type: per_event }, unit: message, price: { amount: 3 } }';
    const catalog = parseCatalog(
      catalogText(service, '  email: { fields: { model: { type: string, dimension: true }, subject: { type: string } } }'),
      'test.yaml',
    );
    const event = (data: object) => {
      const result = parseUsageEvent({ id: 'e1', account: 'a1', type: 'email', data }, receivedAt, eventSchemaFor(catalog).sent);
      return result.success ? 'accepted' : result.error.issues[0]!.path.join('.');
    };
    expect(event({ model: 'm'.repeat(128) })).toBe('accepted');
    expect(event({ model: 'm'.repeat(129) })).toBe('data.model');
    // A string that is no dimension keeps the longer limit.
    expect(event({ subject: 's'.repeat(512) })).toBe('accepted');
    expect(catalogError(service, `  email: { fields: { model: { type: string, dimension: true, enum: [small, ${'x'.repeat(129)}] } } }`)).toContain(
      "events.email.fields.model.enum[1]: a dimension's value has at most 128 characters",
    );
  });

  test('when compares declared strings, numbers and booleans, and a list means any of its values', () => {
    expect(matches({ model: 'large' }, { model: 'large' })).toBe(true);
    expect(matches({ model: ['small', 'large'] }, { model: 'small' })).toBe(true);
    expect(matches({ tier: 2 }, { tier: 2 })).toBe(true);
    expect(matches({ tier: 2 }, { tier: '2' })).toBe(false);
    expect(matches({ urgent: true }, { urgent: true })).toBe(true);
    expect(matches({ urgent: true }, { urgent: false })).toBe(false);
    expect(matches({ urgent: true }, {})).toBe(false);
  });
});
