// Payloads about corrections of recorded usage: an event voided, an event amended.
import { z } from 'zod';
import { accountPart, decimal, instant } from './parts';

const correction = {
  event: z.string(),
  type: z.string().describe('The event type'),
  reason: z.string(),
};

export const usageMessages = {
  'usage.voided': z
    .strictObject({
      ...accountPart,
      ...correction,
      version: z.number().int().describe('The version voided'),
      givenBack: decimal.describe('What the event had cost, given back, in the balance unit'),
      voidedAt: instant,
    })
    .describe('An event was voided: what it drew is given back, and it no longer counts'),
  'usage.amended': z
    .strictObject({
      ...accountPart,
      ...correction,
      version: z.number().int().describe('The new version'),
      previousCost: decimal.describe('What the version it replaced had cost'),
      cost: decimal.describe('What the new version costs'),
    })
    .describe('An event was amended: its earlier version voided, its new data rated under the same id'),
};
