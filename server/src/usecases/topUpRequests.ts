// A prepaid customer asks, on the dashboard, to buy balance: the operator hears of it
// (topup.requested), answers with a checkout link that the dashboard then offers, and tops up with
// the request's id as the reference once the payment arrives.
import { endedRefusal } from '../domain/account/Account';
import { accountLinks } from '../domain/alerts/accountSignals';
import { type Catalog, accountPlan, type Interval, type Plan } from '../domain/catalog/Catalog';
import { DomainFailure, notFound } from '../domain/errors';
import { decimalString, type Money, ZERO } from '../domain/money';
import { balanceValue, requestStatus, sameRequest, stillShown, type TopUpRequest, topUpPrice } from '../domain/recharge/TopUpRequest';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { balanceCharge } from './invoices';
import { addOutboxWrites } from '../store/outbox';
import { writeAsIs } from './AccountWrite';
import { addCheckoutWrites, addTopUpRequestWrites, readLatestTopUpRequest, readTopUpRequest } from '../store/topUpRequests';
import { Writes } from '../store/Writes';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import type { Context } from './Context';
import { postpaidAccount, topUpRequestPaid } from '../domain/refusals';

export function topUpRequestView(request: TopUpRequest) {
  return {
    id: request.id,
    account: request.accountId,
    amount: decimalString(request.amount),
    price: request.price && request.currency ? { net: request.price.toFixed(2), currency: request.currency } : null,
    requestedAt: request.requestedAt.toISOString(),
    status: requestStatus(request),
    checkoutUrl: request.checkoutUrl,
    answeredAt: request.answeredAt?.toISOString() ?? null,
    paidAt: request.paidAt?.toISOString() ?? null,
  };
}

/**
 * Records the request and announces it; the same amount asked again within minutes, unpaid, answers
 * the request already made (a double click is one checkout). Only a running prepaid subscription
 * has a balance to buy.
 */
export async function requestTopUp(context: Context, accountId: string, amount: Money) {
  // Under the account's lock, so that two clicks at once make one request.
  return writeAsIs(context, {
    accounts: [accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(accountId)!;
      const ended = endedRefusal(account, now, 'top-ups');
      if (ended) throw new DomainFailure(ended);
      const catalog = await context.catalogs.forAccount(account);
      const plan = accountPlan(catalog, account);
      if (plan.billing !== 'prepaid') {
        throw new DomainFailure(postpaidAccount(plan, 'top-up'));
      }
      const latest = await readLatestTopUpRequest(tx, account.id);
      if (sameRequest(latest, amount, now)) {
        changesNothing();
        return { answer: { created: false, request: topUpRequestView(latest) } };
      }
      const price = topUpPrice(catalog, amount);
      const request: TopUpRequest = {
        id: madeByRequest(context.newId('tur')),
        accountId: account.id,
        amount,
        price: price ?? null,
        currency: price ? catalog.currency : null,
        requestedAt: now,
        checkoutUrl: null,
        answeredAt: null,
        paidAt: null,
      };
      const view = topUpRequestView(request);
      const message = webhookMessage(
        'topup.requested',
        { accountId: account.id, occurredAt: now, newId: context.newId },
        {
          account: account.id,
          request: request.id,
          reference: request.id,
          amount: view.amount,
          unit: catalog.balanceUnit,
          price: balanceCharge({ catalog, account, amount }),
          email: account.email,
          links: { ...accountLinks(account.id), checkout: `/v1/topup-requests/${encodeURIComponent(request.id)}/checkout` },
        },
      );
      return { answer: { created: true, request: view }, writes: addOutboxWrites(addTopUpRequestWrites(new Writes(), request), [message], now) };
    },
  });
}

/** The operator's answer: the link where the customer pays. A later answer replaces it (a link that expired). */
export async function answerTopUpRequest(
  context: Context,
  { id, checkoutUrl, reaches }: { id: string; checkoutUrl: string; reaches: (accountId: string) => boolean },
) {
  const request = await readTopUpRequest(context.db, id);
  // A request of an account the key does not reach is as absent as a missing one.
  if (!request || !reaches(request.accountId)) throw new DomainFailure(notFound('topup_request', id));
  if (request.paidAt) {
    throw new DomainFailure(topUpRequestPaid(id));
  }
  const now = context.clock.now();
  await writeAsIs(context, {
    accounts: [],
    run: async () => ({ answer: undefined, writes: addCheckoutWrites(new Writes(), { request, url: checkoutUrl, at: now }) }),
  });
  return topUpRequestView({ ...request, checkoutUrl, answeredAt: now });
}

/** The request, if the caller's key reaches its account. */
export async function getTopUpRequest(context: Context, id: string, reaches: (accountId: string) => boolean) {
  const request = await readTopUpRequest(context.db, id);
  if (!request || !reaches(request.accountId)) throw new DomainFailure(notFound('topup_request', id));
  return topUpRequestView(request);
}

/**
 * What the dashboard offers a prepaid customer: the balance's money value, the price of buying
 * more, an amount to start from (the plan's own package), and the latest request while it is
 * recent. Nothing for a postpaid plan, which has no balance to buy.
 */
export function topUpOffer({
  catalog,
  plan,
  interval,
  available,
  latest,
  now,
}: {
  catalog: Catalog;
  plan: Plan;
  interval: Interval;
  available: Money;
  latest: TopUpRequest | undefined;
  now: Date;
}) {
  if (plan.billing !== 'prepaid') return null;
  const price = catalog.topUps.price ?? (catalog.balanceUnit === catalog.currency ? { amount: null, per: 1 } : undefined);
  const value = balanceValue(catalog, available.greaterThan(ZERO) ? available : ZERO);
  const suggested = plan.credits?.[interval];
  return {
    unit: catalog.balanceUnit,
    currency: catalog.currency,
    /** Net money per `per` units of balance; `amount` null where the balance counts in the currency itself. */
    price: price ? { amount: price.amount === null ? null : decimalString(price.amount), per: price.per } : null,
    /** What the available balance is worth, net, to the cent. */
    value: value === undefined ? null : value.toFixed(2),
    suggested: suggested && suggested.greaterThan(ZERO) ? decimalString(suggested) : null,
    request: latest && stillShown(latest, now) ? topUpRequestView(latest) : null,
  };
}
