// Payloads about billing: a closed cycle, an issued invoice, a held draft, a failed payment.
import { z } from 'zod';
import { PAYMENT_FAILURES } from '../../invoice/Invoice';
import { BUYER_DETAILS } from '../../invoice/heldInvoice';
import { accountLinks, accountPart, decimal, period } from './parts';

export const billingMessages = {
  'cycle.closed': z.strictObject({
    ...accountPart,
    cycle: period,
    next: period.describe('Empty (starts and ends where the cycle ends) when the subscription ended with it'),
    plan: z.string(),
    creditsGranted: decimal,
    lapsed: decimal.describe('What expired with the closed cycle'),
    rentsCharged: decimal.describe("The next cycle's number rents"),
    invoice: z.string().nullable(),
    final: z.boolean().describe('The subscription ended with this cycle'),
  }),
  'invoice.created': z.strictObject({
    account: z.string(),
    invoice: z.string(),
    number: z.string(),
    kind: z
      .enum(['opening', 'cycle', 'proration', 'topup'])
      .describe("opening: the first cycle's plan fee; cycle: issued by a cycle's closing; proration: an upgrade's; topup: a paid top-up's (its period is the top-up's instant)"),
    period,
    currency: z.string(),
    net: decimal,
    tax: decimal,
    gross: decimal,
    links: accountLinks.extend({ invoice: z.string(), pdf: z.string() }).describe('Paths on this server'),
  }),
  'invoice.draft_blocked': z
    .strictObject({
      account: z.string(),
      invoice: z.string(),
      kind: z.enum(['opening', 'cycle', 'proration']).describe('Paid top-ups are never held'),
      period,
      currency: z.string(),
      net: decimal,
      tax: decimal,
      gross: decimal,
      missing: z.array(z.enum(BUYER_DETAILS)).min(1).describe("The account's fields to give (PATCH /v1/accounts/{id}) before it can be issued"),
      message: z.string(),
      links: accountLinks.extend({ invoice: z.string(), pdf: z.string(), issue: z.string() }).describe('Paths on this server'),
    })
    .describe('An invoice to a business buyer without an address is held as a draft, unnumbered; it is issued (invoice.created) once the address is given'),
  'invoice.payment_failed': z.strictObject({
    account: z.string(),
    invoice: z.string(),
    number: z.string(),
    gross: decimal,
    currency: z.string(),
    reason: z.enum(PAYMENT_FAILURES),
    attempts: z.number().int(),
    links: accountLinks,
  }),
};
