// Payloads about corrections of issued invoices: a void invoice, a credit note.
import { z } from 'zod';
import { accountLinks, decimal } from './parts';

export const correctionMessages = {
  'invoice.voided': z.strictObject({
    account: z.string(),
    invoice: z.string(),
    number: z.string(),
    currency: z.string(),
    gross: decimal.describe('What the invoice asked; it asks for nothing now'),
    reason: z.string(),
    unsettled: decimal.describe("What of the account's charges the invoice had settled and gave back (0 where it settled none)"),
    links: accountLinks.extend({ invoice: z.string() }).describe('Paths on this server'),
  }),
  'credit_note.created': z.strictObject({
    account: z.string(),
    creditNote: z.string(),
    number: z.string(),
    invoice: z.string(),
    invoiceNumber: z.string(),
    currency: z.string(),
    net: decimal.describe('Credited, net'),
    tax: decimal.describe('VAT reversed'),
    gross: decimal,
    reason: z.string(),
    refund: z
      .enum(['balance', 'external'])
      .describe("balance: credited to the account's balance; external: refunded outside creditmeter, or taken off what an unpaid invoice asks"),
    refunded: decimal
      .nullable()
      .describe("What the balance received, in its unit (credits converted at the catalog's top-up price); null for an external refund"),
    links: accountLinks.extend({ creditNote: z.string(), pdf: z.string(), invoice: z.string() }).describe('Paths on this server'),
  }),
};
