// After a write changed accounts, inside its transaction: judge alert rules and status changes and
// add the resulting outbox messages and remembered crossings to the write.
import type { Account } from '../domain/account/Account';
import { accountFigures } from '../domain/alerts/accountFigures';
import { accountLinks, accountSignals } from '../domain/alerts/accountSignals';
import { limitMonth, rechargeAmount } from '../domain/recharge/AutoRecharge';
import { findPlan } from '../domain/catalog/Catalog';
import { cycleContaining, cycleKey } from '../domain/cycle/Cycle';
import { spendLimitReached, spendLimitReachedMessage, takesSpendLimit } from '../domain/limits/SpendLimit';
import { addSpendLimitNoticeWrites, type SpendLimitNotice, spendLimitNoticesRead } from '../store/spendLimits';
import { decimalString, type Money, ZERO } from '../domain/money';
import { type OutboxMessage, webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addCrossingWrites, type AlertState, alertStateReads, toAlertState } from '../store/alerts';
import type { Queryable } from '../store/Database';
import { addOutboxWrites } from '../store/outbox';
import { addRechargeRequestWrites, rechargeStateRead, type RechargeRequest, type RechargeState } from '../store/recharge';
import { type ReadResults, readTogether } from '../store/Reads';
import type { Writes } from '../store/Writes';
import type { Context } from './Context';
import { balanceCharge } from './invoices';

export interface AccountChange {
  before: Account;
  after: Account;
  /** Service units used by `${meter}|${period}`; empty when the change cannot move allowances. */
  allowanceUsed: ReadonlyMap<string, Money>;
  /** The change lowered the cycle's usage (a void): crossings it undid may fire again on a new one. */
  usageLowered?: boolean;
}

/** What judging accounts reads: their alert rules, crossings and cycle spend, and auto-recharge. */
export interface WatchState {
  alerts: AlertState;
  recharges: Map<string, RechargeState>;
  /** `${account}|${cycle key}` of the cycles whose spend_limit.reached was sent. */
  spendLimitNotices: Set<string>;
}

/**
 * The reads of a WatchState for these (locked) accounts at `now`, as parts of one read: a caller
 * that reads other tables too adds these to its own read, and hands the state in.
 */
export function watchStateReads(accounts: readonly Pick<Account, 'id' | 'anchor' | 'interval'>[], now: Date) {
  const periods = accounts.map((a) => ({ accountId: a.id, cyclePeriod: cycleKey(cycleContaining(a.anchor, a.interval, now)) }));
  const parts = { ...alertStateReads(periods), recharges: rechargeStateRead(accounts.map((a) => a.id), limitMonth(now)), spendLimitNotices: spendLimitNoticesRead(periods) };
  return {
    parts,
    finish: (read: ReadResults<typeof parts>): WatchState => ({ alerts: toAlertState(periods, read), recharges: read.recharges, spendLimitNotices: read.spendLimitNotices }),
  };
}

export interface Watching {
  context: Pick<Context, 'catalogs' | 'newId'>;
  changes: readonly AccountChange[];
  /** Spend the write added to cycles, beyond what the store holds. */
  spendAdded?: readonly { accountId: string; period: string; amount: Money }[];
  /** The write's own messages, sent with what judging adds. */
  messages?: readonly OutboxMessage[];
  writes: Writes;
  now: Date;
  /** Read together with the caller's own reads; read here when not given. */
  watched?: WatchState;
}

export async function watchAccounts(tx: Queryable, input: Watching): Promise<OutboxMessage[]> {
  const { context, changes, writes, now } = input;
  const cycles = new Map(changes.map((c) => [c.after.id, cycleContaining(c.after.anchor, c.after.interval, now)]));
  let watched = input.watched;
  if (!watched) {
    const reads = watchStateReads(changes.map((c) => c.after), now);
    watched = reads.finish(await readTogether(tx, reads.parts));
  }
  const { alerts: state, recharges, spendLimitNotices } = watched;
  const notices: SpendLimitNotice[] = [];
  const requests: RechargeRequest[] = [];
  const added = new Map((input.spendAdded ?? []).map((s) => [`${s.accountId}|${s.period}`, s.amount]));
  const messages: OutboxMessage[] = [...(input.messages ?? [])];
  // One lookup per catalog version among the accounts, not one per account: a batch judges a thousand.
  const catalogs = await context.catalogs.forAccounts(changes.map((c) => c.after));
  for (const change of changes) {
    const catalog = catalogs.get(change.after.id)!;
    const plan = findPlan(catalog, change.after.plan);
    if (!plan) continue;
    const cycle = cycles.get(change.after.id)!;
    const key = `${change.after.id}|${cycleKey(cycle)}`;
    const cycleSpend = (state.spend.get(key) ?? ZERO).plus(added.get(key) ?? ZERO);
    const limit = change.after.spendLimit;
    if (takesSpendLimit(catalog, plan) && spendLimitReached(limit, cycleSpend) && !spendLimitNotices.has(key)) {
      notices.push({ accountId: change.after.id, period: cycleKey(cycle), spent: cycleSpend });
      messages.push(
        spendLimitReachedMessage({ account: change.after, limit, spent: cycleSpend, cycle, currency: catalog.currency, at: now, newId: context.newId }),
      );
    }
    const signals = accountSignals({
      before: change.before,
      after: change.after,
      figures: accountFigures({
        account: change.after,
        plan,
        cycle,
        cycleSpend,
        allowanceUsed: change.allowanceUsed,
      }),
      rules: state.rules.get(change.after.id) ?? [],
      fired: state.fired.get(change.after.id) ?? new Set(),
      cyclePeriod: cycleKey(cycle),
      usageLowered: change.usageLowered === true,
      at: now,
      newId: context.newId,
    });
    messages.push(...signals.messages);
    addCrossingWrites(writes, signals, now);
    const recharge = recharges.get(change.after.id);
    const amount = recharge && rechargeAmount({ settings: recharge.settings, balance: change.after.balance, openRequest: recharge.openRequest, requestedThisMonth: recharge.requestedThisMonth });
    if (recharge && amount) {
      const id = context.newId('rch');
      const request = { id, accountId: change.after.id, reference: id, amount, requestedAt: now, dueAt: new Date(now.getTime() + recharge.settings.timeoutSeconds * 1000) };
      requests.push(request);
      messages.push(
        webhookMessage(
          'recharge.requested',
          { accountId: change.after.id, occurredAt: now, newId: context.newId },
          {
            account: change.after.id,
            balance: decimalString(change.after.balance),
            status: change.after.status,
            request: id,
            reference: id,
            amount: decimalString(amount),
            price: balanceCharge({ catalog, account: change.after, amount }),
            threshold: decimalString(recharge.settings.threshold),
            dueAt: request.dueAt.toISOString(),
            links: { ...accountLinks(change.after.id), topups: `${accountLinks(change.after.id).account}/topups` },
          },
        ),
      );
    }
  }
  addRechargeRequestWrites(writes, requests);
  addSpendLimitNoticeWrites(writes, notices, now);
  addOutboxWrites(writes, messages, now);
  return messages;
}
