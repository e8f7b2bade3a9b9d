// Renting and releasing dedicated phone numbers. Renting charges the rest of the current cycle's
// rent at once (prorated to the second); each later cycle charges the full rent while the number
// is kept. Releasing stops future rent and refunds nothing, as usage is not refunded either.
import { accountStatus } from '../domain/account/Account';
import { accountPlan } from '../domain/catalog/Catalog';
import { cycleContaining, cycleKey, periodText } from '../domain/cycle/Cycle';
import { addSpendWrites } from '../store/alerts';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { chargeFee, changesOf, lapseExpiredGrants, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money } from '../domain/money';
import { firstRent, monthlyRent, type PhoneNumber, type PhoneNumberType, RENT_CHANNEL } from '../domain/phoneNumber/PhoneNumber';
import { addBookWrites } from '../store/books';
import { addRentalWrites, readActiveRental, readPhoneNumber, readPhoneNumbers, releaseRental } from '../store/phoneNumbers';
import { addFeeRollupWrites } from '../store/rollups';
import { readOpenGrants } from '../store/rows';
import { readAccount } from '../store/accounts';
import { Writes } from '../store/Writes';
import type { Context } from './Context';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import { writeAccounts } from './writeAccounts';
import { writeAsIs } from './AccountWrite';
import { watchAccounts } from './watchAccounts';
import { accountUsageAt, readAccountRecord } from './readAccountUsage';
import { accountLinks } from '../domain/alerts/accountSignals';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addOutboxWrites } from '../store/outbox';
import { insufficientBalance } from '../domain/refusals';

export interface RentInput {
  number: string;
  type: PhoneNumberType;
  country: string;
}

export function phoneNumberView(n: PhoneNumber, currency: string) {
  return {
    id: n.id,
    account: n.accountId,
    number: n.number,
    type: n.type,
    country: n.country,
    monthlyRent: decimalString(n.monthlyRent),
    currency,
    status: n.releasedAt ? ('released' as const) : ('active' as const),
    rentedAt: n.rentedAt.toISOString(),
    releasedAt: n.releasedAt?.toISOString() ?? null,
  };
}

const UNIQUE_VIOLATION = '23505';

function taken(number: string): DomainFailure {
  return new DomainFailure({
    code: 'already_exists',
    resource: 'phone_number',
    id: number,
    message: `The number ${number} is rented already; release it first.`,
  });
}

export async function rentNumber(context: Context, accountId: string, input: RentInput) {
  let balanceUnit = '';
  try {
    const rented = await writeAccounts(context, {
      accounts: [accountId],
      run: async ({ tx, accounts, now }) => {
        const account = accounts.get(accountId)!;
        // The rent of the account's catalog version.
        const catalog = await context.catalogs.forAccount(account);
        balanceUnit = catalog.balanceUnit;
        const monthly = monthlyRent(catalog, input.type, input.country);
        if (!monthly) throw new DomainFailure(validationFailed('type', `the catalog rents no ${input.type} numbers`));
        const plan = accountPlan(catalog, account);
        if (await readActiveRental(tx, input.number)) throw taken(input.number);

        const cycle = cycleContaining(account.anchor, account.interval, now);
        const rent = firstRent({ monthly, interval: account.interval, cycle, rentedAt: now });
        const book = openBook(account, (await readOpenGrants(tx, [account.id])).get(account.id) ?? []);
        lapseExpiredGrants(book, now, context.newId);
        if (plan.billing === 'prepaid') {
          // A prepaid account pays the rent from what it can spend now; it is not rented into debt.
          const available = accountUsageAt(
            await readAccountRecord({ db: tx, catalogs: context.catalogs, clock: { now: () => now } }, account.id),
            now,
          )!.available;
          if (available.lessThan(rent)) {
            throw new DomainFailure(
              insufficientBalance({ purpose: `Renting ${input.number} for the rest of this cycle`, cost: rent, available, unit: catalog.balanceUnit }),
            );
          }
        }
        const phoneNumber: PhoneNumber = {
          id: madeByRequest(context.newId('num')),
          accountId: account.id,
          ...input,
          monthlyRent: monthly,
          rentedAt: now,
          releasedAt: null,
        };
        const period = periodText({ start: now, end: cycle.end });
        chargeFee(
          book,
          {
            amount: rent,
            reference: phoneNumber.id,
            description: `Phone number ${input.number} (${input.type}, ${input.country}), ${period}`,
            occurredAt: now,
            now,
          },
          context.newId,
        );
        book.account.status = accountStatus(plan.billing, book.account.balance);

        const writes = addBookWrites(new Writes(), { changes: changesOf([book]), recordedAt: now });
        addRentalWrites(writes, phoneNumber);
        // The rent is spent in this cycle like usage: reports, spend alerts and the ledger agree.
        const spend = rent.greaterThan(0) ? [{ accountId: account.id, period: cycleKey(cycle), amount: rent }] : [];
        if (rent.greaterThan(0)) {
          addFeeRollupWrites(writes, [
            {
              accountId: account.id,
              at: now,
              channel: RENT_CHANNEL,
              service: `${input.type}_number_rent`,
              unit: 'number',
              number: input.number,
              quantity: money(1),
              amount: rent,
            },
          ]);
        }
        addSpendWrites(writes, spend);
        const rented = webhookMessage(
          'number.rented',
          { accountId: account.id, occurredAt: now, newId: context.newId },
          {
            ...phoneNumberView(phoneNumber, catalog.balanceUnit),
            firstCharge: decimalString(rent),
            balance: decimalString(book.account.balance),
            accountStatus: book.account.status,
            links: accountLinks(account.id),
          },
        );
        await watchAccounts(tx, {
          context,
          changes: [{ before: account, after: book.account, allowanceUsed: new Map() }],
          spendAdded: spend,
          messages: [rented],
          writes,
          now,
        });
        return {
          answer: { phoneNumber, rent, period: { from: now.toISOString(), to: cycle.end.toISOString() }, balance: book.account.balance },
          writes,
          changed: [account.id],
        };
      },
    });
    return {
      ...phoneNumberView(rented.phoneNumber, balanceUnit),
      firstCharge: { amount: decimalString(rented.rent), ...rented.period },
      balance: decimalString(rented.balance),
    };
  } catch (error) {
    // Two accounts renting one number at once: the unique index lets one win.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw taken(input.number);
    throw error;
  }
}

export async function releaseNumber(context: Context, accountId: string, id: string) {
  // The unit is a label of the catalog as a whole.
  const { balanceUnit } = await context.catalogs.latestCatalog();
  const released = await writeAsIs(context, {
    accounts: [],
    run: async ({ tx, now }) => {
      const done = await releaseRental(tx, { accountId, id, at: now });
      if (!done) {
        changesNothing();
        return { answer: done };
      }
      const view = phoneNumberView(done, balanceUnit);
      const message = webhookMessage('number.released', { accountId, occurredAt: now, newId: context.newId }, { ...view, links: accountLinks(accountId) });
      return { answer: done, writes: addOutboxWrites(new Writes(), [message], now) };
    },
  });
  if (released) return phoneNumberView(released, balanceUnit);
  // Releasing twice answers the release that happened.
  const known = await readPhoneNumber(context.db, accountId, id);
  if (!known) throw new DomainFailure(notFound('phone_number', id));
  return phoneNumberView(known, balanceUnit);
}

export async function listNumbers(context: Context, accountId: string, includeReleased: boolean) {
  const account = await readAccount(context.db, accountId);
  if (!account) throw new DomainFailure(notFound('account', accountId));
  const { balanceUnit } = await context.catalogs.forAccount(account);
  const numbers = await readPhoneNumbers(context.db, accountId, includeReleased);
  return { phoneNumbers: numbers.map((n) => phoneNumberView(n, balanceUnit)) };
}
