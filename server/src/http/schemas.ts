// Request bodies and queries of the HTTP API. The OpenAPI document is generated from these.
import { PAYMENT_FAILURES } from '../domain/invoice/Invoice';
import { PHONE_NUMBER_TYPES } from '../domain/phoneNumber/PhoneNumber';
import { DEFAULT_LINK_HOURS, MAX_LINK_HOURS } from '../domain/access/DashboardLink';
import { z } from 'zod';
import { SCOPES } from '../domain/access/ApiKey';
import { INSTANT_RANGE_MESSAGE, inInstantRange, isoInstant } from '../domain/instant';
import { ALERT_KINDS } from '../domain/alerts/AlertRule';
import { catalogSchema, INTERVALS } from '../domain/catalog/Catalog';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks/WebhookEvent';
import { identifier } from '../domain/event/UsageEvent';
import { DEFAULT_RESERVATION_TTL_SECONDS, MAX_RESERVATION_TTL_SECONDS, MIN_RESERVATION_TTL_SECONDS } from '../domain/reservation/Reservation';
import { isWholeHour } from '../domain/report/UsageRollup';
import { GROUP_BY } from '../domain/report/CostReport';
import { NAMED_PERIODS } from '../domain/report/ReportPeriod';
import { DEFAULT_SPIKE_FACTOR } from '../domain/report/spikes';
import { MAX_BATCH_EVENTS } from '../usecases/recordUsage';
import { supportedLocale, supportedTimeZone } from '../domain/display/Locale';
import { countryCode } from '../domain/display/Country';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../usecases/listLedger';

/** Largest top-up accepted: a trillion units is beyond any real purchase, and a typo. A balance adjustment is held to it too, either way. */
const MAX_TOPUP = 1_000_000_000_000;

export const decimalAmount = z
  .string({ error: 'must be a decimal string such as "10.50"' })
  .regex(/^\d{1,13}(\.\d{1,12})?$/, 'must be a decimal string such as "10.50" (at most 12 fraction digits)')
  .refine((v) => Number(v) > 0, 'must be greater than 0')
  .refine((v) => Number(v) <= MAX_TOPUP, `must be at most ${MAX_TOPUP}`);

const accountName = z.string().min(1).max(200);
/** At most 20 keys, as payment providers allow: metadata is for references, not for data. */
const metadataKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,39}$/, 'keys must start with a letter and use at most 40 letters, digits, _ . -');
const accountMetadata = z
  .record(metadataKey, z.string().max(500, 'values must be at most 500 characters'))
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 keys');
const metadataChange = z
  .record(metadataKey, z.string().max(500, 'values must be at most 500 characters').nullable())
  .refine((m) => Object.keys(m).length <= 20, 'at most 20 keys');
const accountEmail = z.email({ error: 'must be an e-mail address such as owner@example.com' }).max(320);

export const accountBilling = z.strictObject({
  address: z.array(z.string().min(1).max(200)).max(6).optional(),
  country: countryCode.optional(),
  vatId: z.string().min(2).max(30).optional(),
  business: z.boolean().optional(),
  taxRate: z
    .string()
    .regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a percentage as a decimal string, such as "19" or "7.7"')
    .optional(),
  reverseCharge: z.boolean().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
});

/** The language the account reads: German or English, any region; stored in its canonical spelling (de-de as de-DE). */
const accountLocale = z
  .string()
  .max(35)
  .refine((v) => supportedLocale(v) !== undefined, 'must be a German or English BCP 47 locale such as de-DE, de-AT or en-GB')
  .transform((v) => supportedLocale(v)!)
  .describe("The language of the account's dashboard, explanations and new invoices: German or English in any region (BCP 47), e.g. de-DE or en-GB");
/** Where the account's days and times are read, as Intl knows it. */
const accountTimeZone = z
  .string()
  .max(64)
  .refine((v) => supportedTimeZone(v) !== undefined, 'must be an IANA time zone such as Europe/Berlin or UTC')
  .transform((v) => supportedTimeZone(v)!)
  .describe("The IANA time zone the account's days and times read in, e.g. Europe/Berlin");

export const createAccountBody = z.strictObject({
  id: identifier,
  name: accountName,
  email: accountEmail.optional(),
  metadata: accountMetadata.optional(),
  billing: accountBilling.optional(),
  /** The catalog's `display.locale` when not given. */
  locale: accountLocale.optional(),
  /** The catalog's `display.timeZone` when not given. */
  timeZone: accountTimeZone.optional(),
  plan: z.string().min(1),
  interval: z.enum(INTERVALS).default('month'),
  anchor: isoInstant
    .refine((v) => isWholeHour(new Date(v)), 'must fall on a whole hour (UTC), such as 2026-03-01T00:00:00Z: cycles are reported by the hour')
    .optional(),
});

export const updateAccountBody = z
  .strictObject({
    name: accountName.optional(),
    email: accountEmail.nullable().optional(),
    metadata: metadataChange.optional(),
    billing: accountBilling.optional(),
    locale: accountLocale.optional(),
    timeZone: accountTimeZone.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'give name, email, metadata, billing, locale or timeZone to change',
    path: ['name'],
  });

/** Money in the invoice currency: whole cents, more than nothing, no more than a top-up could cost. */
const centsAmount = z
  .string({ error: 'must be a decimal string such as "100.00"' })
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'must be a decimal string such as "100.00" (at most 2 fraction digits: the invoice currency)')
  .refine((v) => Number(v) > 0, 'must be greater than 0');

export const topUpBody = z.strictObject({
  amount: decimalAmount,
  reference: identifier,
  expiresAt: isoInstant.optional(),
  priority: z.number().int().min(0).max(1000).optional(),
  paid: z
    .strictObject({
      net: centsAmount.describe('What the customer paid, net of VAT'),
      currency: z
        .string({ error: 'must be a currency code such as "EUR"' })
        .regex(/^[A-Z]{3}$/, 'must be a currency code such as "EUR"')
        .describe("The catalog's invoice currency"),
    })
    .optional()
    .describe('What the customer paid: the top-up is invoiced at this net (plus VAT) and the invoice marked paid, with the reference as the payment'),
  invoice: z
    .boolean()
    .optional()
    .describe(
      "Whether to issue an invoice. By default a top-up is invoiced when it was paid for: it carries paid, or its reference is a top-up request's id or an auto-recharge request's reference (invoiced at the catalog's topUps.price, as paid). true invoices any other top-up at the catalog's price, open until paid; false leaves a request's top-up uninvoiced",
    ),
});

/** An adjustment's amount: signed (a credit adds, a debit takes), never zero, no larger either way than a top-up may be. */
const signedAmount = z
  .string({ error: 'must be a decimal string such as "500" or "-120.50"' })
  .regex(/^-?\d{1,13}(\.\d{1,12})?$/, 'must be a decimal string such as "500" or "-120.50" (at most 12 fraction digits)')
  .refine((v) => Number(v) !== 0, 'must not be 0: a positive amount credits, a negative one debits')
  .refine((v) => Math.abs(Number(v)) <= MAX_TOPUP, `must be at most ${MAX_TOPUP} either way`);

/** Longest reason a correction keeps: a sentence or two, as a credit note's would be. */
export const MAX_REASON_LENGTH = 500;

/** Why a correction is made: required, kept as said (trimmed). */
export const correctionReason = z
  .string({ error: 'is required: say why' })
  .trim()
  .min(1, 'is required: say why')
  .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`);

/** An operator's balance adjustment; only a credit may expire. */
export const adjustmentBody = z
  .strictObject({ amount: signedAmount, reason: correctionReason, reference: identifier, expiresAt: isoInstant.optional() })
  .refine((body) => body.expiresAt === undefined || !body.amount.startsWith('-'), {
    message: 'only a credit (a positive amount) expires; leave it out for a debit',
    path: ['expiresAt'],
  });

/** A customer's request to buy balance, in the balance's unit. */
export const topUpRequestBody = z.strictObject({ amount: decimalAmount });

/** Where the customer pays for a top-up request: the operator's checkout page (Stripe Checkout, say). */
export const checkoutBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://checkout.stripe.com/c/pay/cs_test_…' })
    .max(2000, 'must be at most 2000 characters'),
});

/** A new API key: its scopes, and the accounts it is limited to (all when omitted). */
export const apiKeyBody = z.strictObject({
  name: z.string().min(1).max(200),
  scopes: z
    .array(z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}` }))
    .min(1)
    .max(SCOPES.length),
  accounts: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
});

/** A spend limit per cycle, in the invoice currency: whole cents. */
export const spendLimitBody = z.strictObject({
  amount: z
    .string({ error: 'must be a decimal string such as "500.00"' })
    .regex(/^\d{1,13}(\.\d{1,2})?$/, 'must be a decimal string such as "500.00" (at most 2 fraction digits: the invoice currency)')
    .refine((v) => Number(v) > 0, 'must be greater than 0'),
});

/** An event type's code; whether the catalog has it is the route's check (http/eventData.ts). */
const eventType = z.string({ error: 'must be an event type such as chat' }).regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be an event type such as chat');

export const authorizeBody = z.strictObject({
  type: eventType,
  data: z.record(z.string(), z.unknown()).optional(),
});

export const batchBody = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS, `at most ${MAX_BATCH_EVENTS} events per batch`),
});

export const ledgerQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export const eventQuery = z.object({ account: identifier });

export const voidEventBody = z.strictObject({ account: identifier, reason: correctionReason });

/** The new data of an amended event: checked against its type's fields, like a new event's. */
export const amendEventBody = z.strictObject({ account: identifier, data: z.record(z.string(), z.unknown()), reason: correctionReason });

/** The account list: a page after an id, optionally only the accounts whose id or name holds `search`. */
export const accountListQuery = z.object({
  after: z.string().max(200).default(''),
  search: z.string().trim().max(100).optional(),
});

/** A moment in a query: a time with an offset, or a date (its midnight, UTC). */
const queryInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date or time, such as 2026-11-01T09:30:00Z' })
  .or(z.iso.date({ error: 'must be an ISO 8601 date or time, such as 2026-11-01' }))
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
  .refine(inInstantRange, INSTANT_RANGE_MESSAGE);

export const auditLogQuery = z.strictObject({
  account: identifier.optional(),
  key: z.string().min(1).max(64).optional(),
  from: queryInstant.optional(),
  to: queryInstant.optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const dimension = z.string().min(1).max(200);

/** The stored events of one account, newest first, narrowed by type, time and report dimension. */
export const eventListQuery = z
  .strictObject({
    account: identifier,
    type: eventType.optional(),
    from: queryInstant.optional(),
    to: queryInstant.optional(),
    assistant: dimension.optional(),
    campaign: dimension.optional(),
    number: dimension.optional(),
    cursor: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  })
  .refine((q) => !q.from || !q.to || q.from.getTime() < q.to.getTime(), { message: 'must be later than from', path: ['to'] });

export const createWebhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
    .min(1, 'must name at least one event type')
    .max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().max(500).optional(),
});

/** Most thresholds one rule holds (50/80/100 is the usual). */
const MAX_THRESHOLDS = 10;
const percentThresholds = z.array(z.number().positive('must be greater than 0').max(1000, 'must be at most 1000')).min(1).max(MAX_THRESHOLDS);
const amountThresholds = z.array(decimalAmount).min(1).max(MAX_THRESHOLDS);
const ruleCommon = { account: identifier.optional(), description: z.string().max(500).optional() };

export const createAlertRuleBody = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('allowance_percent'), meter: z.string().min(1).max(100), thresholds: percentThresholds, ...ruleCommon }),
    z.strictObject({ kind: z.literal('balance_below'), thresholds: amountThresholds, ...ruleCommon }),
    z.strictObject({ kind: z.literal('cycle_spend_above'), thresholds: amountThresholds, ...ruleCommon }),
  ],
  { error: `must be one of ${ALERT_KINDS.join(', ')}` },
);

export const alertRuleQuery = z.object({ account: identifier.optional() });

export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE) });

/** Longest wait for the top-up that answers a recharge request: a week. */
const MAX_RECHARGE_TIMEOUT_MINUTES = 7 * 24 * 60;

export const autoRechargeBody = z
  .strictObject({
    enabled: z.boolean(),
    threshold: decimalAmount,
    amount: decimalAmount.optional(),
    targetBalance: decimalAmount.optional(),
    monthlyLimit: decimalAmount,
    timeoutMinutes: z.number().int().min(1).max(MAX_RECHARGE_TIMEOUT_MINUTES).default(60),
  })
  .superRefine((body, ctx) => {
    if ((body.amount === undefined) === (body.targetBalance === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give either amount or targetBalance' });
    } else if (body.targetBalance !== undefined && Number(body.targetBalance) <= Number(body.threshold)) {
      ctx.addIssue({ code: 'custom', path: ['targetBalance'], message: 'must be above the threshold' });
    }
  });

const ttlSeconds = z
  .number()
  .int()
  .min(MIN_RESERVATION_TTL_SECONDS, `must be at least ${MIN_RESERVATION_TTL_SECONDS}`)
  .max(MAX_RESERVATION_TTL_SECONDS, `must be at most ${MAX_RESERVATION_TTL_SECONDS} (a day)`);
/** The usage expected, in the event's own fields (checked against the type's schema by the route). */
const estimate = z
  .record(z.string(), z.unknown(), { error: 'must be an object of the event\'s fields, e.g. {"duration_seconds": 300}' })
  .refine((e) => Object.keys(e).length > 0, 'must describe the usage expected, e.g. {"duration_seconds": 300}');

export const reservationBody = z.strictObject({
  type: eventType,
  estimate,
  ttlSeconds: ttlSeconds.default(DEFAULT_RESERVATION_TTL_SECONDS),
  reference: identifier.optional(),
});

export const extendReservationBody = z.strictObject({
  estimate,
  ttlSeconds: ttlSeconds.default(DEFAULT_RESERVATION_TTL_SECONDS),
});

export const reservationsQuery = z.object({
  after: z.string().max(64).default(''),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const reportInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 time on a whole hour, such as 2026-11-01T00:00:00Z' })
  .or(z.iso.date({ error: 'must be an ISO 8601 date or time, such as 2026-11-01' }))
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
  .refine(inInstantRange, INSTANT_RANGE_MESSAGE);

/** Most dimensions one report groups by: the built-in ones and a few declared; more makes a report no one reads. */
const MAX_GROUP_BY = GROUP_BY.length + 3;

/** Built-in dimensions or declared ones; the route checks the names against the catalog. */
const groupByList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, `must be a comma-separated list of ${GROUP_BY.join(', ')} or a dimension the catalog declares`))
      .max(MAX_GROUP_BY, `at most ${MAX_GROUP_BY} dimensions`)
      .refine((g) => new Set(g).size === g.length, 'names a dimension twice'),
  );

export const costReportQuery = z.strictObject({
  account: identifier.optional(),
  from: reportInstant.optional(),
  to: reportInstant.optional(),
  period: z.enum(NAMED_PERIODS, { error: `must be one of ${NAMED_PERIODS.join(', ')}` }).optional(),
  groupBy: groupByList.default([]),
  format: z.enum(['json', 'csv']).optional(),
});

export const forecastQuery = z.strictObject({ account: identifier });

export const spikesQuery = z.strictObject({
  account: identifier,
  from: reportInstant.optional(),
  to: reportInstant.optional(),
  factor: z.coerce.number().min(1.5, 'must be at least 1.5').max(100).default(DEFAULT_SPIKE_FACTOR),
});

export const dashboardQuery = z.strictObject({ account: identifier.optional() });

/** The ticket the dashboard puts in an invoice page's address. */
export const invoicePageQuery = z.strictObject({ ticket: z.string({ error: 'is required: open the invoice from the dashboard' }).min(1).max(1000) });

export const dashboardLinkBody = z.strictObject({
  expiresInHours: z.number().int().min(1).max(MAX_LINK_HOURS, `must be at most ${MAX_LINK_HOURS} (90 days)`).default(DEFAULT_LINK_HOURS),
});

export const rentNumberBody = z.strictObject({
  number: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +493012345678'),
  type: z.enum(PHONE_NUMBER_TYPES, { error: `must be one of ${PHONE_NUMBER_TYPES.join(', ')}` }),
  country: countryCode,
});

export const phoneNumbersQuery = z.strictObject({
  status: z.enum(['active', 'all'], { error: 'must be active or all' }).default('active'),
});

export const paymentBody = z.discriminatedUnion(
  'status',
  [
    z.strictObject({ status: z.literal('paid'), reference: identifier.optional() }),
    z.strictObject({
      status: z.literal('failed'),
      reason: z.enum(PAYMENT_FAILURES, { error: `must be one of ${PAYMENT_FAILURES.join(', ')}` }),
      reference: identifier.optional(),
    }),
  ],
  { error: 'must be paid or failed' },
);

export const addOnBody = z.strictObject({
  addOn: z.string().min(1),
  quantity: z.number().int('must be a whole number').min(1).max(100).default(1),
});

export const planChangeBody = z.strictObject({
  plan: z.string().min(1),
  interval: z.enum(INTERVALS, { error: `must be one of ${INTERVALS.join(', ')}` }).optional(),
  preview: z.boolean().optional(),
  /** keep: the account's catalog version (the default); latest: the plan as the latest version has it. */
  catalogVersion: z.enum(['keep', 'latest'], { error: 'must be keep or latest' }).optional(),
});

/** Counted resources by limit code (documents, assistants, seats), replaced whole. */
export const resourcesBody = z.record(
  z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a snake_case limit code such as documents'),
  z.number().int('must be a whole number').min(0).max(1_000_000_000),
);

export const voidInvoiceBody = z.strictObject({ reason: correctionReason });

/** Most lines one credit note names: an invoice has a line per service and rented number, far fewer. */
export const MAX_CREDIT_NOTE_LINES = 500;

const creditLine = z
  .strictObject({
    line: z.number({ error: "must be the line's 0-based index in the invoice's lines" }).int().min(0).max(100_000),
    quantity: decimalAmount.optional(),
    amount: centsAmount.optional(),
  })
  .superRefine((l, ctx) => {
    if ((l.quantity === undefined) === (l.amount === undefined))
      ctx.addIssue({ code: 'custom', message: 'give quantity or amount (one of them)', path: ['quantity'] });
  });

/** What a credit note credits: lines of the invoice (0-based), or one amount spread over its lines in order. */
export const creditNoteBody = z
  .strictObject({
    lines: z.array(creditLine).min(1, 'give at least one line').max(MAX_CREDIT_NOTE_LINES, `at most ${MAX_CREDIT_NOTE_LINES} lines`).optional(),
    amount: centsAmount.optional(),
    reason: correctionReason,
    refund: z.enum(['balance', 'external'], { error: 'must be balance or external' }),
    /** The caller's idempotency key: the same again answers the first note, other content is a conflict. */
    reference: identifier.optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.lines === undefined) === (body.amount === undefined))
      ctx.addIssue({ code: 'custom', message: 'give lines or amount (one of them)', path: ['lines'] });
  });

/** Which PDF of an invoice or a credit note: the document as printed, or its ZUGFeRD/Factur-X PDF/A-3 with the e-invoice attached. */
export const documentPdfQuery = z.object({ format: z.enum(['pdf', 'zugferd'], { error: 'must be pdf or zugferd' }).default('pdf') });

/** A catalog version to publish: the catalog in the form GET /v1/catalog answers it. */
export const catalogVersionBody = z.strictObject({ catalog: catalogSchema });

/** A catalog version's number in a path. */
export const catalogVersionParam = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'must be a catalog version number (1, 2, …)')
  .transform(Number);

/** Which accounts move to a catalog version, and when. */
export const catalogMigrationBody = z.strictObject({
  plans: z.array(z.string().min(1)).min(1).optional(),
  at: z.enum(['now', 'cycle_end'], { error: 'must be now or cycle_end' }),
});

/** GET /v1/catalog/events: the types of the version an account is on, or the latest. */
export const eventTypesQuery = z.strictObject({ account: identifier.optional() });
