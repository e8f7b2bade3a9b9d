// Request bodies and queries of the HTTP API. The OpenAPI document is generated from these.
import { z } from 'zod';
import { INTERVALS } from '../domain/catalog/Catalog';
import { EVENT_TYPES, identifier } from '../domain/event/UsageEvent';
import { MAX_BATCH_EVENTS } from '../usecases/recordUsage';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../usecases/listLedger';

/** Largest top-up accepted: a trillion units is beyond any real purchase, and a typo. */
const MAX_TOPUP = 1_000_000_000_000;

export const decimalAmount = z
  .string({ error: 'must be a decimal string such as "10.50"' })
  .regex(/^\d{1,13}(\.\d{1,12})?$/, 'must be a decimal string such as "10.50" (at most 12 fraction digits)')
  .refine((v) => Number(v) > 0, 'must be greater than 0')
  .refine((v) => Number(v) <= MAX_TOPUP, `must be at most ${MAX_TOPUP}`);

export const createAccountBody = z.strictObject({
  id: identifier,
  name: z.string().min(1).max(200),
  plan: z.string().min(1),
  interval: z.enum(INTERVALS).default('month'),
  anchor: z.iso.datetime({ offset: true }).optional(),
});

export const topUpBody = z.strictObject({
  amount: decimalAmount,
  reference: identifier,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  priority: z.number().int().min(0).max(1000).optional(),
});

export const authorizeBody = z.strictObject({
  type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
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
