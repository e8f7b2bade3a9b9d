// After a write changed accounts, inside its transaction: judge alert rules and status changes and
// add the resulting outbox messages and remembered crossings to the write.
import type { Account } from '../domain/account/Account';
import { accountFigures } from '../domain/alerts/accountFigures';
import { accountLinks, accountSignals } from '../domain/alerts/accountSignals';
import { limitMonth, rechargeAmount } from '../domain/recharge/AutoRecharge';
import { findPlan } from '../domain/catalog/Catalog';
import { cycleContaining } from '../domain/cycle/Cycle';
import { decimalString, type Money, ZERO } from '../domain/money';
import type { OutboxMessage } from '../domain/webhooks/WebhookEvent';
import { addCrossingWrites, loadAlertState } from '../store/alerts';
import type { Queryable } from '../store/Database';
import { addOutboxWrites } from '../store/outbox';
import { addRechargeRequestWrites, loadRechargeState, type RechargeRequest } from '../store/recharge';
import type { Writes } from '../store/Writes';
import type { Context } from './Context';

export interface AccountChange {
  before: Account;
  after: Account;
  /** Service units used by `${meter}|${period}`; empty when the change cannot move allowances. */
  allowanceUsed: ReadonlyMap<string, Money>;
}

export async function watchAccounts(
  tx: Queryable,
  context: Pick<Context, 'catalog' | 'newId'>,
  changes: readonly AccountChange[],
  spendAdded: readonly { accountId: string; period: string; amount: Money }[],
  extra: readonly OutboxMessage[],
  writes: Writes,
  now: Date,
): Promise<OutboxMessage[]> {
  const cycles = new Map(changes.map((c) => [c.after.id, cycleContaining(c.after.anchor, c.after.interval, now)]));
  const state = await loadAlertState(
    tx,
    changes.map((c) => ({ accountId: c.after.id, cyclePeriod: cycles.get(c.after.id)!.start.toISOString() })),
  );
  const recharges = await loadRechargeState(tx, changes.map((c) => c.after.id), limitMonth(now));
  const requests: RechargeRequest[] = [];
  const added = new Map(spendAdded.map((s) => [`${s.accountId}|${s.period}`, s.amount]));
  const messages: OutboxMessage[] = [...extra];
  for (const change of changes) {
    const plan = findPlan(context.catalog, change.after.plan);
    if (!plan) continue;
    const cycle = cycles.get(change.after.id)!;
    const key = `${change.after.id}|${cycle.start.toISOString()}`;
    const signals = accountSignals({
      before: change.before,
      after: change.after,
      figures: accountFigures({
        account: change.after,
        plan,
        cycle,
        cycleSpend: (state.spend.get(key) ?? ZERO).plus(added.get(key) ?? ZERO),
        allowanceUsed: change.allowanceUsed,
      }),
      rules: state.rules.get(change.after.id) ?? [],
      fired: state.fired.get(change.after.id) ?? new Set(),
      cyclePeriod: cycle.start.toISOString(),
      at: now,
      newId: context.newId,
    });
    messages.push(...signals.messages);
    addCrossingWrites(writes, signals, now);
    const recharge = recharges.get(change.after.id);
    const amount = recharge && rechargeAmount(recharge.settings, change.after.balance, recharge.openRequest, recharge.requestedThisMonth);
    if (recharge && amount) {
      const id = context.newId('rch');
      const request = { id, accountId: change.after.id, reference: id, amount, requestedAt: now, dueAt: new Date(now.getTime() + recharge.settings.timeoutSeconds * 1000) };
      requests.push(request);
      messages.push({
        id: context.newId('msg'),
        type: 'recharge.requested',
        accountId: change.after.id,
        occurredAt: now,
        data: {
          account: change.after.id,
          balance: decimalString(change.after.balance),
          status: change.after.status,
          request: id,
          reference: id,
          amount: decimalString(amount),
          threshold: decimalString(recharge.settings.threshold),
          dueAt: request.dueAt.toISOString(),
          links: { ...accountLinks(change.after.id), topups: `${accountLinks(change.after.id).account}/topups` },
        },
      });
    }
  }
  addRechargeRequestWrites(writes, requests);
  addOutboxWrites(writes, messages, now);
  return messages;
}
