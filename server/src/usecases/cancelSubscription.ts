// Cancelling: the subscription stops renewing at the end of the current cycle. The cycle is not
// refunded (usage is not refundable); until its end everything works as before, and the
// cancellation can be withdrawn.
import { cycleContaining } from '../domain/cycle/Cycle';
import { DomainFailure } from '../domain/errors';
import { addEndsAtWrite, addScheduledChangeDrop } from '../store/accounts';
import { Writes } from '../store/Writes';
import { writeAsIs } from './AccountWrite';
import { fullCycleEnd } from '../domain/cycle/closingTerms';
import type { Context } from './Context';
import { dayForPeople } from '../domain/display/forPeople';
import { subscriptionEnded } from '../domain/refusals';

export async function cancelSubscription(context: Context, accountId: string) {
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ accounts, now }) => {
      const account = accounts.get(accountId)!;
      if (account.endedAt) throw new DomainFailure(subscriptionEnded(account.endsAt ?? account.endedAt, 'cancellations'));
      const endsAt = account.endsAt ?? cycleContaining(account.anchor, account.interval, now).end;
      // A change waiting for the next cycle will not come: there is none.
      const writes = addScheduledChangeDrop(new Writes(), account.id, fullCycleEnd(account));
      addEndsAtWrite(writes, account.id, endsAt);
      const answer = {
        account: account.id,
        endsAt: endsAt.toISOString(),
        message: `The subscription ends on ${dayForPeople(endsAt)}, at the end of the current cycle; the current cycle is not refunded.`,
      };
      return { answer, writes, changed: [account.id] };
    },
  });
}

export async function withdrawCancellation(context: Context, accountId: string) {
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ accounts }) => {
      const account = accounts.get(accountId)!;
      if (account.endedAt) throw new DomainFailure(subscriptionEnded(account.endsAt ?? account.endedAt, 'changes to its cancellation'));
      const answer = {
        account: account.id,
        endsAt: null,
        message: account.endsAt ? 'The cancellation is withdrawn: the subscription renews as before.' : 'The subscription was not cancelled.',
      };
      return { answer, writes: addEndsAtWrite(new Writes(), account.id, null), changed: [account.id] };
    },
  });
}
