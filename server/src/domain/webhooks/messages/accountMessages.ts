// Payloads of what a change to an account reports (accountSignals, the spend limit): thresholds, balance, status.
import { z } from 'zod';
import { accountPart, decimal, period } from './parts';

const threshold = decimal.describe('Percent of the allowance, or the spend amount');
const cyclePeriod = z.string().describe('Start of the cycle the threshold was reached in');
const ruleOf = <Kind extends string>(kind: Kind) => z.strictObject({ id: z.string(), kind: z.literal(kind) });

// Two shapes, told apart by rule.kind: an allowance rule reports the meter's figures, a spend rule
// the spend. Separate objects, so that neither accepts the other's fields.
const allowanceReached = z.strictObject({
  ...accountPart,
  rule: ruleOf('allowance_percent'),
  threshold,
  meter: z.string(),
  unit: z.string(),
  period: cyclePeriod,
  percent: decimal,
  used: decimal,
  included: decimal,
  remaining: decimal,
});
const spendReached = z.strictObject({
  ...accountPart,
  rule: ruleOf('cycle_spend_above'),
  threshold,
  period: cyclePeriod,
  spend: decimal.describe('For cycle_spend_above: charged in the cycle so far'),
});

export const accountMessages = {
  'usage.threshold_reached': z.union([allowanceReached, spendReached]),
  'balance.low': z.strictObject({ ...accountPart, rule: ruleOf('balance_below'), threshold: decimal }),
  'balance.depleted': z.strictObject(accountPart),
  'service.paused': z.strictObject({ ...accountPart, previousStatus: z.literal('active') }),
  'service.resumed': z.strictObject({ ...accountPart, previousStatus: z.literal('paused') }),
  'spend_limit.reached': z
    .strictObject({
      ...accountPart,
      limit: decimal.describe('The spend limit per cycle, in the invoice currency'),
      spent: decimal.describe('Charged in the cycle so far (usage and number rents)'),
      currency: z.string(),
      cycle: period,
    })
    .describe('Sent once per cycle (and again after a new limit is set): authorize and reservations now refuse usage that costs anything'),
};
