// Payloads about plan changes: applied, scheduled for later, or refused at the cycle's end.
import { z } from 'zod';
import { accountLinks, instant, planTerms } from './parts';

export const planMessages = {
  'plan.changed': z.strictObject({
    account: z.string(),
    from: planTerms,
    to: planTerms,
    // Never 'downgrade' or 'interval_change': those wait for a cycle's closing (plan.change_scheduled)
    // and arrive here as 'scheduled' when it applies them.
    kind: z.enum(['upgrade', 'scheduled']).describe('upgrade: applied at once; scheduled: a scheduled change applied as its cycle closed'),
    effectiveAt: instant,
    links: accountLinks,
  }),
  'plan.change_scheduled': z.strictObject({
    account: z.string(),
    kind: z.enum(['downgrade', 'interval_change']),
    from: planTerms,
    to: planTerms,
    effectiveAt: instant.describe('The cycle end (or next whole hour) where it applies'),
    scheduled: z.boolean().describe('false for a move to yearly billing: the current cycle closes early, at the next whole hour'),
    message: z.string().describe('The change in a sentence, for people'),
    links: accountLinks,
  }),
  'plan.change_failed': z.strictObject({
    account: z.string(),
    from: planTerms,
    to: planTerms,
    reason: z.literal('plan_limits_exceeded'),
    limits: z.array(z.strictObject({ limit: z.string(), allowed: z.number(), current: z.number() })),
    features: z.array(z.string()).describe('Features the account used that the target plan lacks'),
    message: z.string(),
    links: accountLinks,
  }),
};
