// What an account change tells the outside world: status changes, a balance that ran out, and the
// alert thresholds it reached. Pure: the caller loads rules and earlier crossings and writes the
// messages and crossings in the same transaction as the change.
import type { Account } from '../account/Account';
import { decimalString, Money } from '../money';
import type { NewId } from '../ledger/LedgerEntry';
import { type MessageContext, type OutboxMessage, webhookMessage } from '../webhooks/WebhookEvent';
import type { WebhookData } from '../webhooks/WebhookMessages';
import { type AccountFigures, type AlertRule, BALANCE_PERIOD, crossingKey, percentUsed, reachedThresholds, rearmedThresholds, type Reached } from './AlertRule';

export interface AccountSignals {
  messages: OutboxMessage[];
  fired: { ruleId: string; accountId: string; threshold: Money; period: string }[];
  rearmed: { ruleId: string; accountId: string; threshold: Money; period: string }[];
}

/** Where a subscriber reads more; relative to the server's own address. */
export function accountLinks(accountId: string) {
  const account = `/v1/accounts/${encodeURIComponent(accountId)}`;
  return { account, balance: `${account}/balance`, ledger: `${account}/ledger` };
}

export function accountSignals(input: {
  before: Pick<Account, 'status' | 'balance'>;
  after: Account;
  figures: AccountFigures;
  rules: readonly AlertRule[];
  fired: ReadonlySet<string>;
  cyclePeriod: string;
  /** The change lowered the cycle's usage (a void): allowance and spend crossings may rearm. */
  usageLowered?: boolean;
  at: Date;
  newId: NewId;
}): AccountSignals {
  const { before, after, at } = input;
  const messages: OutboxMessage[] = [];
  const base = { account: after.id, balance: decimalString(after.balance), status: after.status, links: accountLinks(after.id) };
  const about = { accountId: after.id, occurredAt: at, newId: input.newId };

  // Two statuses: a change is one or the other, and the previous status is the other one.
  if (before.status !== after.status) {
    messages.push(
      after.status === 'paused'
        ? webhookMessage('service.paused', about, { ...base, previousStatus: 'active' })
        : webhookMessage('service.resumed', about, { ...base, previousStatus: 'paused' }),
    );
  }
  if (before.balance.greaterThan(0) && !after.balance.greaterThan(0)) messages.push(webhookMessage('balance.depleted', about, { ...base }));

  const reached = reachedThresholds({ rules: input.rules, figures: input.figures, cyclePeriod: input.cyclePeriod, fired: input.fired });
  for (const crossing of reached) messages.push(crossingMessage(crossing, { figures: input.figures, base, about }));

  return {
    messages,
    fired: reached.map((r) => ({ ruleId: r.rule.id, accountId: after.id, threshold: r.threshold, period: r.period })),
    rearmed: rearmedThresholds({ rules: input.rules, figures: input.figures, usageLowered: input.usageLowered === true })
      .map((r) => ({ ruleId: r.rule.id, accountId: after.id, threshold: r.threshold, period: r.rule.kind === 'balance_below' ? BALANCE_PERIOD : input.cyclePeriod }))
      .filter((r) => input.fired.has(crossingKey(r.ruleId, r.threshold, r.period))),
  };
}

/** The message of a threshold reached: balance.low for a balance rule, usage.threshold_reached otherwise. */
function crossingMessage(
  { rule, threshold, period }: Reached,
  { figures, base, about }: { figures: AccountFigures; base: WebhookData<'balance.depleted'>; about: MessageContext },
): OutboxMessage {
  const common = { threshold: decimalString(threshold) };
  switch (rule.kind) {
    case 'allowance_percent': {
      const allowance = figures.allowances.get(rule.meter)!;
      const included = allowance.included as Money;
      return webhookMessage('usage.threshold_reached', about, {
        ...base,
        rule: { id: rule.id, kind: rule.kind },
        ...common,
        meter: rule.meter,
        unit: allowance.unit,
        period,
        percent: decimalString(percentUsed(figures, rule.meter)!.toDecimalPlaces(2)),
        used: decimalString(allowance.used.toDecimalPlaces(6)),
        included: decimalString(included),
        remaining: decimalString(Money.max(included.minus(allowance.used), 0).toDecimalPlaces(6)),
      });
    }
    case 'cycle_spend_above':
      return webhookMessage('usage.threshold_reached', about, {
        ...base,
        rule: { id: rule.id, kind: rule.kind },
        ...common,
        period,
        spend: decimalString(figures.cycleSpend),
      });
    case 'balance_below':
      return webhookMessage('balance.low', about, { ...base, rule: { id: rule.id, kind: rule.kind }, ...common });
  }
}
