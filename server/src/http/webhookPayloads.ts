// The payloads creditmeter sends to webhook subscribers, as zod schemas for the OpenAPI document.
// Every request body is { type, timestamp, data }; these describe `data` per type.
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/webhooks/WebhookEvent';

const decimal = z.string().describe('A decimal number as a string');
const accountPart = {
  account: z.string(),
  balance: decimal.describe('Balance after the change'),
  status: z.enum(['active', 'paused']),
  links: z.object({ account: z.string(), balance: z.string(), ledger: z.string() }).describe('Paths on this server'),
};
const rule = z.object({ id: z.string(), kind: z.enum(['allowance_percent', 'balance_below', 'cycle_spend_above']) });

const period = z.object({ start: z.string(), end: z.string() });
const planTerms = z.object({ plan: z.string(), interval: z.enum(['month', 'year']) });
const phoneNumber = {
  account: z.string(),
  id: z.string(),
  number: z.string().describe('E.164'),
  type: z.enum(['local', 'mobile']),
  country: z.string(),
  monthlyRent: decimal,
  currency: z.string().describe('The unit the rent is charged in (the balance unit)'),
  status: z.enum(['active', 'released']),
  rentedAt: z.string(),
  releasedAt: z.string().nullable(),
};

/** Complete: the compiler refuses a webhook type without its payload. */
export const WEBHOOK_PAYLOADS: Record<WebhookEventType, z.ZodType> = {
  'usage.threshold_reached': z.object({
    ...accountPart,
    rule,
    threshold: decimal.describe('Percent of the allowance, or the spend amount'),
    period: z.string().describe("Start of the cycle the threshold was reached in"),
    meter: z.string().optional(),
    unit: z.string().optional(),
    percent: decimal.optional(),
    used: decimal.optional(),
    included: decimal.optional(),
    remaining: decimal.optional(),
    spend: decimal.optional().describe('For cycle_spend_above: charged in the cycle so far'),
  }),
  'balance.low': z.object({ ...accountPart, rule, threshold: decimal }),
  'balance.depleted': z.object(accountPart),
  'service.paused': z.object({ ...accountPart, previousStatus: z.literal('active') }),
  'service.resumed': z.object({ ...accountPart, previousStatus: z.literal('paused') }),
  'spend_limit.reached': z.object({
    ...accountPart,
    limit: decimal.describe('The spend limit per cycle, in the invoice currency'),
    spent: decimal.describe('Charged in the cycle so far (usage and number rents)'),
    currency: z.string(),
    cycle: period,
  }).describe('Sent once per cycle (and again after a new limit is set): authorize and reservations now refuse usage that costs anything'),
  'topup.requested': z
    .object({
      account: z.string(),
      request: z.string(),
      reference: z.string().describe('Pass it as the top-up reference once paid: the request then reads paid, and a second top-up with it adds nothing'),
      amount: decimal.describe('In the balance unit'),
      unit: z.string().describe('The balance unit: credits or a currency code'),
      price: z.object({ net: decimal, currency: z.string() }).nullable().describe("What it costs, net, by the catalog's topUps.price; null where the catalog prices no balance"),
      email: z.string().nullable().describe("The account's e-mail, for the checkout"),
      links: z.object({ account: z.string(), balance: z.string(), ledger: z.string(), checkout: z.string().describe('POST {url} here: the dashboard offers the link') }),
    })
    .describe('A prepaid customer asked on the dashboard to buy balance: answer with a checkout link, and top up once paid'),
  'topup.succeeded': z.object({ ...accountPart, topup: z.string(), reference: z.string(), amount: decimal, recharge: z.string().optional().describe('The recharge request this top-up answered') }),
  'recharge.requested': z.object({
    ...accountPart,
    request: z.string(),
    reference: z.string().describe('Pass it as the top-up reference: a second top-up with it adds nothing'),
    amount: decimal,
    price: z.object({ net: decimal, currency: z.string() }).nullable().describe("What to charge for the amount, net, by the catalog's topUps.price; null where the catalog prices no balance"),
    threshold: decimal,
    dueAt: z.string().describe('No top-up by then: recharge.failed'),
  }),
  'recharge.failed': z.object({
    account: z.string(),
    request: z.string(),
    reference: z.string(),
    amount: decimal,
    reason: z.literal('no_topup_in_time'),
    failuresInARow: z.number().int(),
    autoRechargeDisabled: z.boolean(),
    message: z.string().optional(),
  }),

  'plan.changed': z.object({
    account: z.string(),
    from: planTerms,
    to: planTerms,
    kind: z.enum(['upgrade', 'downgrade', 'interval_change', 'scheduled']),
    effectiveAt: z.string(),
    links: z.looseObject({ account: z.string() }),
  }),
  'plan.change_scheduled': z.looseObject({
    account: z.string(),
    kind: z.enum(['downgrade', 'interval_change']),
    from: planTerms,
    to: planTerms,
    effectiveAt: z.string().describe('The cycle end (or next whole hour) where it applies'),
  }),
  'plan.change_failed': z.object({
    account: z.string(),
    from: planTerms,
    to: planTerms,
    reason: z.literal('plan_limits_exceeded'),
    limits: z.array(z.object({ limit: z.string(), allowed: z.number(), current: z.number() })),
    features: z.array(z.string()).describe('Features the account used that the target plan lacks'),
    message: z.string(),
    links: z.looseObject({ account: z.string() }),
  }),
  'cycle.closed': z.object({
    ...accountPart,
    cycle: period,
    next: period,
    plan: z.string(),
    creditsGranted: decimal,
    lapsed: decimal.describe('What expired with the closed cycle'),
    rentsCharged: decimal.describe("The next cycle's number rents"),
    invoice: z.string().nullable(),
  }),
  'invoice.created': z.object({
    account: z.string(),
    invoice: z.string(),
    number: z.string(),
    period,
    currency: z.string(),
    net: decimal,
    tax: decimal,
    gross: decimal,
    links: z.looseObject({ invoice: z.string(), pdf: z.string() }),
  }),
  'invoice.payment_failed': z.object({
    account: z.string(),
    invoice: z.string(),
    number: z.string(),
    gross: decimal,
    currency: z.string(),
    reason: z.enum(['card_declined', 'insufficient_funds', 'expired_card']),
    attempts: z.number().int(),
  }),
  'number.rented': z.object({ ...phoneNumber, firstCharge: decimal, balance: decimal, accountStatus: z.enum(['active', 'paused']) }),
  'number.released': z.object(phoneNumber),
};

export function webhookDocuments() {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => {
      const data = WEBHOOK_PAYLOADS[type];
      const envelope = {
        type: 'object',
        required: ['type', 'timestamp', 'data'],
        properties: {
          type: { const: type },
          timestamp: { type: 'string', format: 'date-time' },
          data: z.toJSONSchema(data),
        },
      };
      return [
        type,
        {
          post: {
            summary: type,
            description: 'Signed per Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256 with the whsec_ secret).',
            requestBody: { required: true, content: { 'application/json': { schema: envelope } } },
            responses: { '2XX': { description: 'Received. 410 disables the subscription; anything else is retried.' } },
          },
        },
      ];
    }),
  );
}
