// The catalog: the operator's price list as data (services, refusal rules, plans). This schema is
// the whole language a catalog file can speak; rating reads nothing else.
import { DEFAULT_DISPLAY, supportedLocale, supportedTimeZone } from '../display/Locale';
import { countryCode } from '../display/Country';
import { TOP_UP_EXPIRY_RULES, type TopUpExpiryRule } from '../ledger/topUpExpiry';
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';
import { money, Money } from '../money';
import { BUILT_IN_DATA, COMMON_DIMENSIONS, DERIVED_FACTS, isBuiltInEventType } from '../event/UsageEvent';
import { DomainFailure } from '../errors';
import { unknownPlan } from '../refusals';
import { readLogo } from './logo';
import { DISPLAY_DECIMALS } from '../display/forPeople';
import { GROUP_BY, RECURRING_CHANNELS } from '../report/CostReport';

/** Most services, plans and refusal rules one catalog may hold; bounds start-up work and memory. */
export const MAX_CATALOG_ENTRIES = 500;

const code = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case, starting with a letter');
/** Longest name of a unit (minute, 1K tokens): part of every rollup row's key, which an index must hold. */
export const MAX_UNIT_TEXT = 64;
const unitName = z.string().min(1).max(MAX_UNIT_TEXT);

const decimal = z.union([z.string(), z.number()]).transform((value, ctx): Money => {
  try {
    const parsed = money(value);
    if (!parsed.isFinite() || parsed.isNegative()) throw new Error();
    return parsed;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative decimal' });
    return z.NEVER;
  }
});

export const INTERVALS = ['month', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];

const byInterval = z.strictObject({ month: decimal, year: decimal });
const priceAmount = z.union([decimal, byInterval]);

export const incrementsSchema = z.strictObject({
  first: z.number().int().min(1).max(3600),
  next: z.number().int().min(1).max(3600),
});
const increments = incrementsSchema;
export type Increments = z.infer<typeof increments>;

/** Most tiers one price may have: real price lists have a handful; more is a mistake, and each event walks them. */
export const MAX_TIERS = 50;

const flatPrice = z.strictObject({ amount: priceAmount, per: z.number().int().min(1).default(1) });
export type FlatPrice = z.infer<typeof flatPrice>;

const positiveDecimal = decimal.refine((value) => value.greaterThan(0), 'must be greater than 0');
const tier = z.strictObject({ upTo: positiveDecimal.optional(), amount: priceAmount, per: z.number().int().min(1).default(1) });
export type Tier = z.infer<typeof tier>;

/**
 * Tiers over the quantity a cycle counts (see rating/tieredPrice): every tier but the last ends at
 * its `upTo`, strictly increasing; the last has none and runs on without end.
 */
const tieredPrice = z.strictObject({ mode: z.enum(['graduated', 'volume']), tiers: z.array(tier).min(1).max(MAX_TIERS) }).superRefine((price, ctx) => {
  price.tiers.forEach((t, index) => {
    const last = index === price.tiers.length - 1;
    if (last && t.upTo !== undefined)
      ctx.addIssue({ code: 'custom', message: 'the last tier has no upTo: it runs on without end', path: ['tiers', index, 'upTo'] });
    if (!last && t.upTo === undefined) ctx.addIssue({ code: 'custom', message: 'required on every tier but the last', path: ['tiers', index, 'upTo'] });
    const before = price.tiers[index - 1]?.upTo;
    // Zod runs this check after a tier that failed its own too: only two bounds that parsed are compared.
    if (!last && t.upTo instanceof Money && before instanceof Money && !t.upTo.greaterThan(before)) {
      ctx.addIssue({ code: 'custom', message: `must be greater than the tier before's upTo (${before.toFixed()})`, path: ['tiers', index, 'upTo'] });
    }
  });
});
export type TieredPrice = z.infer<typeof tieredPrice>;
export type ServicePrice = FlatPrice | TieredPrice;

export function isTiered(price: ServicePrice | PriceAmount): price is TieredPrice {
  return typeof price === 'object' && price !== null && 'mode' in price;
}

/** An object with `mode` is read as tiers, anything else by `otherwise`: errors then name the path inside the form meant. */
function tieredOr<T extends z.ZodType>(otherwise: T) {
  return z.unknown().transform((value, ctx): z.output<T> | TieredPrice => {
    const schema = typeof value === 'object' && value !== null && 'mode' in value ? tieredPrice : otherwise;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<T> | TieredPrice;
    // Each issue as it was (an unknown key stays one), its path from where the price stands.
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as never);
    return z.NEVER;
  });
}

/** The two forms a price takes, for documents (the API's): parsing goes through servicePrice, whose errors name the form meant. */
export const servicePriceForms = z.union([flatPrice, tieredPrice]);

/** A service's price as the catalog, a plan override or an account's own prices give it. */
export const servicePrice = tieredOr(flatPrice) as unknown as z.ZodType<ServicePrice, unknown>;
const overridePrice = tieredOr(priceAmount) as unknown as z.ZodType<PriceAmount | TieredPrice, unknown>;
export type PriceAmount = z.infer<typeof priceAmount>;

const conditionValue = z.union([z.string(), z.number(), z.boolean()]);
const conditions = z.record(z.string(), z.union([conditionValue, z.array(conditionValue).min(1)]));
export type Conditions = z.infer<typeof conditions>;

const quantity = z.discriminatedUnion('type', [
  /** A number carried by the event, e.g. input_tokens. An absent optional field charges nothing. */
  z.strictObject({ type: z.literal('field'), field: z.string() }),
  /** A duration in seconds, billed in first/next increments; 0 when the call was not answered. */
  z.strictObject({ type: z.literal('duration'), field: z.string(), increments }),
  /** SMS segments counted from data.text, or data.segments when no text is given. */
  z.strictObject({ type: z.literal('sms_segments') }),
  /** One unit per event (a conversation, a message). */
  z.strictObject({ type: z.literal('per_event') }),
]);
export type Quantity = z.infer<typeof quantity>;

/** Most values a field's enum may list, and most fields one event type may declare. */
const MAX_ENUM_VALUES = 100;
const MAX_DECLARED_FIELDS = 50;

/**
 * A declared field a service counts as its quantity is never negative (a negative quantity would
 * be a credit) and never huge: without its own bounds it takes min 0 and this max, as tokens do.
 */
export const DEFAULT_QUANTITY_MAX = 1_000_000_000;
/** The highest max a quantity field may declare: integers stay exact, costs stay sane. */
export const MAX_QUANTITY_MAX = 1_000_000_000_000_000;

/**
 * Report dimensions live in the rollups' key, which PostgreSQL's index keeps in a row of at most
 * 2,704 bytes: a catalog marks at most this many distinct fields as dimensions, and a dimension's
 * value has at most MAX_DIMENSION_TEXT characters (as labels do).
 */
export const MAX_DIMENSIONS = 4;
export const MAX_DIMENSION_TEXT = 128;

/**
 * A field the catalog declares on an event type (its own, or one of the five it adds to): a
 * `dimension` string field is one reports may group by.
 */
const eventField = z
  .strictObject({
    type: z.enum(['string', 'integer', 'number', 'boolean']),
    required: z.boolean().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    enum: z
      .array(z.union([z.string().min(1), z.number()]))
      .min(1)
      .max(MAX_ENUM_VALUES)
      .optional(),
    dimension: z.boolean().optional(),
  })
  .superRefine((field, ctx) => {
    const numeric = field.type === 'integer' || field.type === 'number';
    if (!numeric && (field.min !== undefined || field.max !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'min and max apply only to integer and number fields', path: [field.min !== undefined ? 'min' : 'max'] });
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max)
      ctx.addIssue({ code: 'custom', message: 'must not be greater than max', path: ['min'] });
    if (field.enum) {
      if (field.type === 'boolean') ctx.addIssue({ code: 'custom', message: 'a boolean field takes no enum', path: ['enum'] });
      field.enum.forEach((value, index) => {
        const fits = field.type === 'string' ? typeof value === 'string' : typeof value === 'number' && (field.type === 'number' || Number.isInteger(value));
        if (!fits && field.type !== 'boolean')
          ctx.addIssue({ code: 'custom', message: `must be a${field.type === 'integer' ? 'n' : ''} ${field.type}`, path: ['enum', index] });
      });
    }
    if (field.dimension && field.type !== 'string')
      ctx.addIssue({ code: 'custom', message: 'only a string field can be a report dimension', path: ['dimension'] });
    if (field.dimension && field.enum) {
      field.enum.forEach((value, index) => {
        if (typeof value === 'string' && value.length > MAX_DIMENSION_TEXT)
          ctx.addIssue({ code: 'custom', message: `a dimension's value has at most ${MAX_DIMENSION_TEXT} characters`, path: ['enum', index] });
      });
    }
  });
export type EventFieldDeclaration = z.infer<typeof eventField>;

const eventDeclaration = z.strictObject({
  fields: z
    .record(code, eventField)
    .refine((fields) => Object.keys(fields).length <= MAX_DECLARED_FIELDS, `at most ${MAX_DECLARED_FIELDS} fields`)
    .default({}),
});

const service = z.strictObject({
  code,
  name: z.string().min(1),
  /** Where reports and the dashboard put the service: a free code (the presets use ai_chat, voice, sms, whatsapp, ai_conversation). */
  channel: code,
  /** A built-in event type or one of `events`. */
  event: code,
  when: conditions.optional(),
  quantity,
  unit: unitName,
  /**
   * `amount` is the price of `per` units: 40 per 1,000 tokens is { amount: 40, per: 1000 }. Or tiers
   * over the cycle's quantity: { mode: "graduated" | "volume", tiers: [{ upTo, amount, per }, …, { amount, per }] }.
   */
  price: servicePrice,
  /** A plan feature the service needs; a plan without it refuses the event. */
  feature: code.optional(),
  /** Charge at most once per value of data[key] within a cycle, across all services of the group. */
  chargeOnce: z.strictObject({ group: code, key: z.string() }).optional(),
  /** Shown in traces, e.g. why a free item is free. */
  note: z.string().optional(),
});
export type Service = z.infer<typeof service>;

const refusal = z.strictObject({
  code,
  event: code,
  when: conditions.optional(),
  message: z.string().min(1),
});
export type Refusal = z.infer<typeof refusal>;

const included = z.union([
  z.strictObject({ month: z.union([decimal, z.literal('unlimited')]), year: z.union([decimal, z.literal('unlimited')]) }),
  z.strictObject({ total: decimal }),
]);

const allowance = z.strictObject({
  meter: code,
  /** The unit people count in (minute, conversation). */
  unit: unitName,
  /** How many of the covered services' units make one meter unit: 60 seconds in a minute. */
  per: z.number().int().min(1).default(1),
  included,
  services: z.array(code).min(1),
  /** Past the included amount: charge as usual, or refuse the event (a trial's hard limit). */
  whenExhausted: z.union([z.literal('charge'), z.strictObject({ refuse: z.strictObject({ message: z.string().min(1) }) })]).default('charge'),
});
export type Allowance = z.infer<typeof allowance>;

/** A plan's own price for a service: an amount for the service's `per` units, or tiers of its own (a tiered service needs tiers). */
const override = z.strictObject({ price: overridePrice.optional(), increments: increments.optional() });

/** An ISO instant, or a date meaning its midnight UTC. */
const availabilityInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'must be an ISO date or instant such as 2026-07-01 or 2026-07-01T00:00:00Z',
  )
  .transform((text, ctx) => {
    const at = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is no real date' });
      return z.NEVER;
    }
    return at;
  });

const plan = z.strictObject({
  code,
  name: z.string().min(1),
  /** Prepaid deducts from the balance and pauses at zero; postpaid accrues for the invoice. */
  billing: z.enum(['prepaid', 'postpaid']),
  /** Recurring plan fee per billing interval, in the catalog's currency. */
  price: byInterval.optional(),
  /** When the fee is invoiced: up front when its cycle starts (seed 003), or with the cycle's closing. */
  feeTiming: z.enum(['advance', 'arrears']).default('advance'),
  features: z.array(code).default([]),
  allowances: z.array(allowance).default([]),
  /** A credit package granted at the start of every cycle, lapsing at the cycle's end. */
  credits: z.strictObject({ month: decimal, year: decimal, priority: z.number().int().min(0).max(1000).default(0) }).optional(),
  overrides: z.record(code, override).default({}),
  /** Counted resources the plan allows (documents, assistants, seats). */
  limits: z.record(code, z.union([z.number().int().min(0), z.literal('unlimited')])).default({}),
  /**
   * When and where new subscriptions may choose the plan (seed 003, "plan not available"): from and
   * until as ISO instants or dates (until exclusive), countries as ISO 3166 codes of the account's
   * billing country. Accounts already on the plan keep it.
   */
  available: z
    .strictObject({
      from: availabilityInstant.optional(),
      until: availabilityInstant.optional(),
      countries: z.array(countryCode).min(1).optional(),
    })
    // Zod runs this check after a bound that failed its own (it is then not a date): only two dates are compared.
    .refine((a) => !(a.from instanceof Date && a.until instanceof Date) || a.from.getTime() < a.until.getTime(), {
      message: 'from must lie before until',
      path: ['until'],
    })
    .optional(),
  /** Who the plan suits, for recommendations: account templates and integrations it is made for. */
  suitedFor: z.strictObject({ templates: z.array(code).default([]), integrations: z.array(code).default([]) }).default({ templates: [], integrations: [] }),
});
export type Plan = z.infer<typeof plan>;

/** A dedicated number's rent per month in the balance unit; some countries' numbers cost otherwise. */
const numberRent = z.strictObject({ month: decimal, countries: z.record(countryCode, decimal).default({}) });

/** Where the buyer pays: the seller's bank account, its IBAN checked (ISO 13616) and printed in groups of four. */
const bankAccount = z.strictObject({
  accountHolder: z.string().min(1).max(200).optional(),
  iban: z
    .string()
    .transform((iban) => electronicFormatIBAN(iban) ?? '')
    .refine((iban) => isValidIBAN(iban), 'must be a valid IBAN such as DE89 3704 0044 0532 0130 00'),
  bic: z
    .string()
    .refine((bic) => isValidBIC(bic), 'must be a valid BIC such as COBADEFFXXX')
    .optional(),
  bank: z.string().min(1).max(200).optional(),
});

/** Who issues the invoices and how they are numbered, taxed and paid. */
const invoicing = z.strictObject({
  seller: z.strictObject({
    name: z.string().min(1),
    address: z.array(z.string().min(1)).max(6).default([]),
    /** The seller's country (ISO 3166-1), where the address's last line does not name it. */
    country: countryCode.optional(),
    vatId: z.string().min(1).optional(),
    /** The tax number from the seller's tax office (Steuernummer), printed beside the VAT id. */
    taxNumber: z.string().min(1).max(40).optional(),
    /** The commercial register and number, e.g. "Amtsgericht Berlin-Charlottenburg, HRB 123456 B" (§35a GmbHG). */
    register: z.string().min(1).max(200).optional(),
    managingDirectors: z.array(z.string().min(1).max(200)).min(1).max(10).optional(),
    email: z.email().optional(),
    phone: z.string().min(1).max(40).optional(),
    website: z.string().min(1).max(200).optional(),
    bank: bankAccount.optional(),
    /** The logo on the invoice's page and PDF: a PNG or JPEG as a data URL (a file beside the catalog is read into one as it loads). */
    logo: z
      .string()
      .superRefine((url, ctx) => {
        const logo = readLogo(url);
        if ('error' in logo) ctx.addIssue({ code: 'custom', message: logo.error });
      })
      .optional(),
  }),
  /** Days from issue to the due date, unless the account has its own terms; 0 is due on receipt. */
  paymentTermsDays: z.number().int().min(0).max(365).default(14),
  /** {PREFIX}, {YYYY}, {MM} and {SEQ:n}; the sequence runs on per prefix, never reset. */
  numberFormat: z.string().includes('{SEQ', { message: 'must contain {SEQ} or {SEQ:n}' }).default('{PREFIX}-{YYYY}-{SEQ:6}'),
  /** The same placeholders, for credit notes: their sequence runs on its own, beside the invoices'. */
  creditNoteNumberFormat: z.string().includes('{SEQ', { message: 'must contain {SEQ} or {SEQ:n}' }).default('{PREFIX}-CN-{YYYY}-{SEQ:6}'),
  prefix: z
    .string()
    .regex(/^[A-Z0-9]{1,10}$/, 'must be 1 to 10 capital letters or digits')
    .default('CM'),
  /** VAT in percent unless the account says otherwise. */
  taxRate: decimal.default(() => money(19)),
});
export type Invoicing = z.infer<typeof invoicing>;

const DEFAULT_INVOICING = () => ({
  seller: { name: 'creditmeter operator', address: [] },
  paymentTermsDays: 14,
  numberFormat: '{PREFIX}-{YYYY}-{SEQ:6}',
  creditNoteNumberFormat: '{PREFIX}-CN-{YYYY}-{SEQ:6}',
  prefix: 'CM',
  taxRate: money(19),
});

/**
 * The language and time zone an account reads unless it gives its own (a German operator's
 * catalog: de-DE, Europe/Berlin); checked as accounts' are.
 */
const display = z.strictObject({
  locale: z
    .string()
    .refine((v) => supportedLocale(v) !== undefined, `must be a German or English BCP 47 locale such as de-DE or en-GB`)
    .transform((v) => supportedLocale(v)!)
    .default(DEFAULT_DISPLAY.locale),
  timeZone: z
    .string()
    .refine((v) => supportedTimeZone(v) !== undefined, 'must be an IANA time zone such as Europe/Berlin or UTC')
    .transform((v) => supportedTimeZone(v)!)
    .default(DEFAULT_DISPLAY.timeZone),
  creditsDecimals: z.number().int().min(0).max(DISPLAY_DECIMALS).optional(),
  moneyDecimals: z.number().int().min(0).max(DISPLAY_DECIMALS).optional(),
});

/** A pack bought at any time for the current cycle: credits, or extra units of an allowance. */
const addOn = z
  .strictObject({
    code,
    name: z.string().min(1),
    /** Net price per pack, in the catalog's currency, billed on the cycle's invoice. */
    price: decimal,
    /** Credits granted for the rest of the cycle. */
    credits: decimal.optional(),
    /** Units added to an allowance of the plan for the current cycle, in the allowance's unit. */
    allowance: z.strictObject({ meter: code, units: decimal }).optional(),
  })
  .refine((a) => (a.credits === undefined) !== (a.allowance === undefined), { message: 'give either credits or allowance' });
export type AddOn = z.infer<typeof addOn>;

export const catalogSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** What a balance counts in: `credits` or a currency code. */
    balanceUnit: z.string().min(1),
    /** The currency of plan fees and invoices. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
    /**
     * Event types beyond the five built-in ones, and fields added to any type: `{ email: { fields:
     * { messages: { type: integer, required: true } } }, chat: { fields: { model: { type: string } } } }`.
     */
    events: z.record(code, eventDeclaration).default({}),
    services: z.array(service).min(1),
    refusals: z.array(refusal).default([]),
    plans: z.array(plan).min(1),
    /** Number types the operator rents out; a type left out cannot be rented. */
    phoneNumbers: z.strictObject({ local: numberRent.optional(), mobile: numberRent.optional() }).default({}),
    invoicing: invoicing.default(DEFAULT_INVOICING),
    /**
     * What accounts read in unless they say (English and UTC when not given), and how many fraction
     * digits amounts show to people (dashboard, explanations, documents): money by default to its
     * currency's minor unit, the balance's credits by default to 2. The API's fields and the ledger
     * keep exact values; four is the most any displayed number has.
     */
    display: display.default({ ...DEFAULT_DISPLAY }),
    addOns: z.array(addOn).default([]),
    /**
     * When a top-up without its own expiry lapses: never, or at the end of the month (by the anchor
     * day) after the one it was bought in. `end_of_next_cycle` is the old spelling of the latter.
     */
    /**
     * What estimates count when they leave a quantity out: tokens per minute of call, which authorize,
     * reservations and the longest affordable call use where a call's estimate names no tokens.
     */
    estimates: z
      .strictObject({
        call: z
          .strictObject({
            tokensPerMinute: z.strictObject({
              input_tokens: z.number().int().min(0).max(1_000_000),
              output_tokens: z.number().int().min(0).max(1_000_000),
            }),
          })
          .optional(),
      })
      .default({}),
    topUps: z
      .strictObject({
        expire: z
          .enum([...TOP_UP_EXPIRY_RULES, 'end_of_next_cycle'])
          .transform((rule): TopUpExpiryRule => (rule === 'end_of_next_cycle' ? 'end_of_next_month' : rule))
          .default('never'),
        /**
         * What `per` units of balance cost, net, in the invoice currency (0.40 EUR per 1,000
         * credits): the price of a top-up and the money value of a balance. A balance that counts
         * in the currency itself needs none.
         */
        price: z.strictObject({ amount: decimal, per: z.number().int().min(1).max(1_000_000_000) }).optional(),
      })
      .default({ expire: 'never' }),
  })
  .superRefine((catalog, ctx) => {
    const entries = catalog.services.length + catalog.refusals.length + catalog.plans.length + Object.keys(catalog.events).length;
    if (entries > MAX_CATALOG_ENTRIES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_CATALOG_ENTRIES} services, refusals, plans and event types`, path: [] });
    }
    reportDuplicates(
      catalog.services.map((s) => s.code),
      ['services'],
      ctx,
    );
    checkEventLanguage(catalog, ctx);
    reportDuplicates(
      catalog.plans.map((p) => p.code),
      ['plans'],
      ctx,
    );
    const services = new Map(catalog.services.map((s) => [s.code, s]));
    catalog.plans.forEach((p, planIndex) => {
      reportDuplicates(
        p.allowances.map((a) => a.meter),
        ['plans', planIndex, 'allowances'],
        ctx,
      );
      const covered = new Set<string>();
      p.allowances.forEach((a, allowanceIndex) => {
        a.services.forEach((serviceCode, serviceIndex) => {
          const path = ['plans', planIndex, 'allowances', allowanceIndex, 'services', serviceIndex];
          if (!services.has(serviceCode)) ctx.addIssue({ code: 'custom', message: `unknown service '${serviceCode}'`, path });
          if (covered.has(serviceCode)) ctx.addIssue({ code: 'custom', message: `service '${serviceCode}' is in two allowances`, path });
          covered.add(serviceCode);
        });
      });
      for (const [serviceCode, o] of Object.entries(p.overrides)) {
        const path = ['plans', planIndex, 'overrides', serviceCode];
        const target = services.get(serviceCode);
        if (!target) ctx.addIssue({ code: 'custom', message: `unknown service '${serviceCode}'`, path });
        else if (o.increments && target.quantity.type !== 'duration') {
          ctx.addIssue({ code: 'custom', message: 'increments apply only to duration quantities', path: [...path, 'increments'] });
        } else if (o.price !== undefined && isTiered(target.price) && !isTiered(o.price)) {
          ctx.addIssue({
            code: 'custom',
            message: `service '${serviceCode}' is priced in tiers: its override gives tiers too ({ mode, tiers })`,
            path: [...path, 'price'],
          });
        }
      }
    });
  });

export type Catalog = z.infer<typeof catalogSchema>;

/**
 * What the services and refusals say of events holds for the types they name: the type exists, and
 * every field a `when`, a quantity or a charge-once key names is one the type has. A declared field
 * may not redefine a built-in one, a dimension may not take a built-in grouping's name (reports
 * would group by the built-in one instead), and a field counted as a quantity may not go negative.
 */
function checkEventLanguage(catalog: Pick<Catalog, 'events' | 'services' | 'refusals'>, ctx: z.RefinementCtx): void {
  const fieldsOf = new Map<string, Map<string, EventFieldDeclaration | 'built_in'>>();
  for (const type of Object.keys(BUILT_IN_DATA)) fieldsOf.set(type, new Map());
  for (const type of Object.keys(catalog.events)) fieldsOf.set(type, new Map());
  const dimensions = new Set<string>();
  for (const [type, fields] of fieldsOf) {
    const own = isBuiltInEventType(type) ? [...Object.keys(BUILT_IN_DATA[type].shape), ...(DERIVED_FACTS[type] ?? [])] : COMMON_DIMENSIONS;
    for (const name of own) fields.set(name, 'built_in');
    for (const [name, field] of Object.entries(catalog.events[type]?.fields ?? {})) {
      const path = ['events', type, 'fields', name];
      if (fields.has(name)) ctx.addIssue({ code: 'custom', message: `'${name}' is a built-in field of ${type}`, path });
      else fields.set(name, field);
      if (!field.dimension) continue;
      if ((GROUP_BY as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `'${name}' is a report grouping of its own (${GROUP_BY.join(', ')}): give the dimension another name`,
          path: [...path, 'dimension'],
        });
      }
      // One name on several types is one dimension: it is one key of the rollups' dimensions.
      if (dimensions.has(name)) continue;
      dimensions.add(name);
      if (dimensions.size > MAX_DIMENSIONS) {
        ctx.addIssue({
          code: 'custom',
          message: `at most ${MAX_DIMENSIONS} distinct fields of a catalog are report dimensions (${[...dimensions].join(', ')})`,
          path: [...path, 'dimension'],
        });
      }
    }
  }
  const types = [...fieldsOf.keys()].join(', ');
  const check = (
    entry: { event: string; when?: Conditions | undefined },
    path: (string | number)[],
    named: { path: (string | number)[]; field: string; numeric?: boolean }[],
  ) => {
    const fields = fieldsOf.get(entry.event);
    if (!fields) {
      ctx.addIssue({ code: 'custom', message: `unknown event type '${entry.event}' (the catalog has ${types})`, path: [...path, 'event'] });
      return;
    }
    for (const [field, expected] of Object.entries(entry.when ?? {})) {
      const declared = fields.get(field);
      if (!declared) ctx.addIssue({ code: 'custom', message: `${entry.event} has no field '${field}'`, path: [...path, 'when', field] });
      else if (declared !== 'built_in') {
        const values = Array.isArray(expected) ? expected : [expected];
        const wanted = declared.type === 'string' ? 'string' : declared.type === 'boolean' ? 'boolean' : 'number';
        if (values.some((v) => typeof v !== wanted))
          ctx.addIssue({ code: 'custom', message: `'${field}' is a ${declared.type} field`, path: [...path, 'when', field] });
      }
    }
    for (const { path: fieldPath, field, numeric } of named) {
      const declared = fields.get(field);
      if (!declared) ctx.addIssue({ code: 'custom', message: `${entry.event} has no field '${field}'`, path: fieldPath });
      else if (numeric && declared !== 'built_in' && declared.type !== 'integer' && declared.type !== 'number') {
        ctx.addIssue({ code: 'custom', message: `'${field}' is a ${declared.type} field, not a number`, path: fieldPath });
      }
    }
  };
  catalog.services.forEach((s, index) => {
    const path = ['services', index];
    // Reports, forecasts and invoices tell recurring fees from usage by these channels.
    if (RECURRING_CHANNELS.includes(s.channel)) {
      ctx.addIssue({ code: 'custom', message: `'${s.channel}' is the channel of recurring fees; give usage another`, path: [...path, 'channel'] });
    }
    const named = [
      ...('field' in s.quantity ? [{ path: [...path, 'quantity', 'field'], field: s.quantity.field, numeric: true }] : []),
      ...(s.chargeOnce ? [{ path: [...path, 'chargeOnce', 'key'], field: s.chargeOnce.key }] : []),
    ];
    check(s, path, named);
    if ('field' in s.quantity) {
      // Own keys only: a type named `constructor` is no declaration.
      const declared = Object.hasOwn(catalog.events, s.event) ? catalog.events[s.event]?.fields : undefined;
      const field = declared && Object.hasOwn(declared, s.quantity.field) ? declared[s.quantity.field] : undefined;
      checkQuantityField(field, ['events', s.event, 'fields', s.quantity.field], ctx);
    }
  });
  catalog.refusals.forEach((r, index) => check(r, ['refusals', index], []));
}

/** A declared field counted as a quantity: bounds that keep its cost a debit of sane size (DEFAULT_QUANTITY_MAX). */
function checkQuantityField(field: EventFieldDeclaration | undefined, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (!field || (field.type !== 'integer' && field.type !== 'number')) return;
  if (field.min !== undefined && field.min < 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'a service counts this field as its quantity: min must be 0 or more (a negative quantity would be a credit)',
      path: [...path, 'min'],
    });
  }
  if (field.max !== undefined && field.max > MAX_QUANTITY_MAX) {
    ctx.addIssue({ code: 'custom', message: `a service counts this field as its quantity: max must be at most ${MAX_QUANTITY_MAX}`, path: [...path, 'max'] });
  }
  if (!Array.isArray(field.enum)) return;
  field.enum.forEach((value, index) => {
    if (typeof value === 'number' && value < 0)
      ctx.addIssue({ code: 'custom', message: 'a service counts this field as its quantity: must not be negative', path: [...path, 'enum', index] });
  });
}

/** The declared fields services count as quantities, by `${type}.${field}`: their bounds default to 0 and DEFAULT_QUANTITY_MAX. */
export function quantityFields(services: readonly Pick<Service, 'event' | 'quantity'>[]): Set<string> {
  return new Set(services.flatMap((s) => ('field' in s.quantity ? [`${s.event}.${s.quantity.field}`] : [])));
}

function reportDuplicates(codes: string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  codes.forEach((c, index) => {
    if (seen.has(c)) ctx.addIssue({ code: 'custom', message: `duplicate code '${c}'`, path: [...path, index, 'code'] });
    seen.add(c);
  });
}

export function priceFor(amount: Money | { month: Money; year: Money }, interval: Interval): Money {
  return Money.isDecimal(amount) ? amount : amount[interval];
}

/** The credits a balance shows when the catalog does not say: cents of a credit. */
export const DEFAULT_CREDITS_DECIMALS = 2;

/** The fraction digits of an amount in `unit` as people see it: the catalog's display precision for money and credits, at most four for anything else. */
export function displayDecimals(catalog: Pick<Catalog, 'display' | 'currency' | 'balanceUnit'>, unit: string): number {
  if (unit === catalog.currency || /^[A-Z]{3}$/.test(unit)) return catalog.display.moneyDecimals ?? minorUnitDecimals(unit);
  if (unit === catalog.balanceUnit) return catalog.display.creditsDecimals ?? DEFAULT_CREDITS_DECIMALS;
  return DISPLAY_DECIMALS;
}

/** A currency's minor unit (EUR 2, JPY 0, KWD 3), as ISO 4217 through Intl says it. */
export function minorUnitDecimals(currency: string): number {
  try {
    return Math.min(DISPLAY_DECIMALS, new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2);
  } catch {
    return 2;
  }
}

export function findPlan(catalog: Catalog, planCode: string): Plan | undefined {
  return catalog.plans.find((p) => p.code === planCode);
}

/** The plan the account is on; refused (unknown_plan) where the operator took it out of the catalog. */
export function accountPlan(catalog: Catalog, account: { plan: string }): Plan {
  const plan = findPlan(catalog, account.plan);
  if (!plan) throw new DomainFailure(unknownPlan(account.plan));
  return plan;
}
