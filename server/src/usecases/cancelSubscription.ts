// Cancelling: the subscription stops renewing at the end of the current cycle. The cycle is not
// refunded (usage is not refundable); until its end everything works as before, and the
// cancellation can be withdrawn.
import { cycleContaining } from '../domain/cycle/Cycle';
import { DomainFailure, notFound } from '../domain/errors';
import { subscriptionEnded } from '../domain/refusals';
import { lockAccounts } from '../store/rows';
import { dropScheduledChange } from './changePlan';
import type { Context } from './Context';
import { dayForPeople } from '../domain/display/forPeople';

export async function cancelSubscription(context: Context, accountId: string) {
  return context.db.transaction(async (tx) => {
    const account = (await lockAccounts(tx, [accountId])).get(accountId);
    if (!account) throw new DomainFailure(notFound('account', accountId));
    if (account.endedAt) throw new DomainFailure(subscriptionEnded(account.endsAt ?? account.endedAt, 'cancellations'));
    const endsAt = account.endsAt ?? cycleContaining(account.anchor, account.interval, context.clock.now()).end;
    // A change waiting for the next cycle will not come: there is none.
    await dropScheduledChange(tx, account);
    await tx.query('UPDATE accounts SET ends_at = $2 WHERE id = $1', [account.id, endsAt.toISOString()]);
    return {
      account: account.id,
      endsAt: endsAt.toISOString(),
      message: `The subscription ends on ${dayForPeople(endsAt)}, at the end of the current cycle; the current cycle is not refunded.`,
    };
  });
}

export async function withdrawCancellation(context: Context, accountId: string) {
  return context.db.transaction(async (tx) => {
    const account = (await lockAccounts(tx, [accountId])).get(accountId);
    if (!account) throw new DomainFailure(notFound('account', accountId));
    if (account.endedAt) throw new DomainFailure(subscriptionEnded(account.endsAt ?? account.endedAt, 'changes to its cancellation'));
    await tx.query('UPDATE accounts SET ends_at = NULL WHERE id = $1', [account.id]);
    return { account: account.id, endsAt: null, message: account.endsAt ? 'The cancellation is withdrawn: the subscription renews as before.' : 'The subscription was not cancelled.' };
  });
}
