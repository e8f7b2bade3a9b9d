// Payloads about buying and correcting balance: a customer's top-up request, a top-up, auto-recharge's
// requests and failures, and an operator's adjustment.
import { z } from 'zod';
import { accountLinks, accountPart, decimal, instant } from './parts';

/** What to charge, as the top-up's invoice will say it: net, VAT at the account's rate (0 under a reverse charge), gross. */
const charge = z.strictObject({ net: decimal, tax: decimal, gross: decimal.describe('What to charge the customer'), currency: z.string() });

export const balanceMessages = {
  'topup.requested': z
    .strictObject({
      account: z.string(),
      request: z.string(),
      reference: z.string().describe('Pass it as the top-up reference once paid: the request then reads paid, and a second top-up with it adds nothing'),
      amount: decimal.describe('In the balance unit'),
      unit: z.string().describe('The balance unit: credits or a currency code'),
      price: charge
        .nullable()
        .describe(
          "What it costs by the catalog's topUps.price: net, the account's VAT and gross (charge the gross); null where the catalog prices no balance. The top-up with the reference is invoiced at this net, as paid",
        ),
      email: z.string().nullable().describe("The account's e-mail, for the checkout"),
      links: accountLinks.extend({ checkout: z.string().describe('POST {url} here: the dashboard offers the link') }).describe('Paths on this server'),
    })
    .describe('A prepaid customer asked on the dashboard to buy balance: answer with a checkout link, and top up once paid'),
  'topup.succeeded': z.strictObject({
    ...accountPart,
    topup: z.string(),
    reference: z.string(),
    amount: decimal,
    recharge: z.string().optional().describe('The recharge request this top-up answered'),
  }),
  'balance.adjusted': z
    .strictObject({
      ...accountPart,
      adjustment: z.strictObject({
        id: z.string(),
        amount: decimal.describe('Signed, in the balance unit: a credit adds, a debit takes'),
        reason: z.string().describe('Why, as the operator said'),
        reference: z.string().describe("The caller's reference: the same one again adjusts nothing"),
        expiresAt: instant.nullable().describe("When a credit's grant lapses; null for one that does not, and for every debit"),
        keyId: z.string().describe('The API key whose request made it'),
      }),
    })
    .describe('An operator credited or debited the balance, saying why; a debit that reaches zero also pauses a prepaid account (service.paused)'),
  'recharge.requested': z.strictObject({
    ...accountPart,
    request: z.string(),
    reference: z.string().describe('Pass it as the top-up reference: a second top-up with it adds nothing'),
    amount: decimal,
    price: charge
      .nullable()
      .describe(
        "What to charge for the amount, by the catalog's topUps.price: net, the account's VAT and gross (charge the gross); null where the catalog prices no balance. The top-up with the reference is invoiced at this net, as paid",
      ),
    threshold: decimal,
    dueAt: instant.describe('No top-up by then: recharge.failed'),
    links: accountLinks.extend({ topups: z.string().describe('POST the top-up here') }).describe('Paths on this server'),
  }),
  'recharge.failed': z.strictObject({
    account: z.string(),
    request: z.string(),
    reference: z.string(),
    amount: decimal,
    reason: z.literal('no_topup_in_time'),
    failuresInARow: z.number().int(),
    autoRechargeDisabled: z.boolean(),
    message: z.string().optional().describe('Only when this failure switched auto-recharge off'),
    links: accountLinks,
  }),
};
