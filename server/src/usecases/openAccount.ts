// Opens an account on a plan: the account row, the first cycle's credit package if the plan grants
// one (lapsing at the cycle's end), and the invoice of its first fee when the plan bills it up front.
import { hourOf } from '../domain/report/UsageRollup';
import { accountStatus, type Account, type AccountBilling } from '../domain/account/Account';
import { findPlan, type Interval } from '../domain/catalog/Catalog';
import { accountCountry, availabilityRefusal } from '../domain/plan/availability';
import { cycleContaining } from '../domain/cycle/Cycle';
import { DomainFailure, validationFailed } from '../domain/errors';
import { changesOf, credit, openBook } from '../domain/ledger/AccountBook';
import { ZERO } from '../domain/money';
import { addBookWrites } from '../store/books';
import { insertAccount } from '../store/accounts';
import { writeAsIs } from './AccountWrite';
import type { Context } from './Context';
import { feeStartAtOpening, openingFee } from '../domain/plan/PlanFee';
import { addOutboxWrites } from '../store/outbox';
import { Writes } from '../store/Writes';
import { issueInvoice } from './invoices';
import { dayForPeople } from '../domain/display/forPeople';

export interface OpenAccountInput {
  id: string;
  name: string;
  email?: string;
  metadata?: Record<string, string>;
  billing?: AccountBilling;
  /** Canonical and supported (see display/Locale); the catalog's default when not given. */
  locale?: string;
  timeZone?: string;
  plan: string;
  interval: Interval;
  anchor?: Date;
}

export async function openAccount(context: Context, input: OpenAccountInput): Promise<Account> {
  // A new account subscribes on the latest catalog version, as the store says now.
  const { version: catalogVersion, catalog } = await context.catalogs.latest();
  const plan = findPlan(catalog, input.plan);
  if (!plan) {
    const known = catalog.plans.map((p) => p.code).join(', ');
    throw new DomainFailure(validationFailed('plan', `unknown plan '${input.plan}'; the catalog has ${known}`));
  }
  const now = context.clock.now();
  const unavailable = availabilityRefusal(plan, { at: now, country: accountCountry(input.billing ?? {}) });
  if (unavailable) throw new DomainFailure(unavailable);
  // Cycles start on whole hours, the resolution of the usage rollups, so reports can cover a cycle
  // exactly: the default anchor is the start of the current hour.
  const anchor = input.anchor ?? hourOf(now);
  const cycle = cycleContaining(anchor, input.interval, now);
  // An anchor in the past does not bill the time before the opening: the plan begins then.
  const feeFrom = feeStartAtOpening(cycle, now);
  const fee = openingFee({ plan, interval: input.interval, cycle, from: feeFrom });
  const account: Account = {
    id: input.id,
    name: input.name,
    email: input.email ?? null,
    metadata: input.metadata ?? {},
    plan: plan.code,
    interval: input.interval,
    anchor,
    status: 'active',
    balance: ZERO,
    debt: ZERO,
    createdAt: now,
    billing: input.billing ?? {},
    paymentIssue: null,
    planSince: feeFrom.getTime() > cycle.start.getTime() ? feeFrom : null,
    scheduledChange: null,
    resources: {},
    endsAt: null,
    endedAt: null,
    allowanceExtras: {},
    cycleStart: null,
    cycleEnd: cycle.end,
    spendLimit: null,
    feePaidUntil: fee.paidUntil,
    locale: input.locale ?? catalog.display.locale,
    timeZone: input.timeZone ?? catalog.display.timeZone,
    catalogVersion,
  };
  const book = openBook(account, []);
  if (plan.credits) {
    credit(
      book,
      {
        grant: {
          id: context.newId('grt'),
          kind: 'plan_credits',
          priority: plan.credits.priority,
          grantedAt: now,
          expiresAt: cycle.end,
          amount: plan.credits[input.interval],
        },
        kind: 'plan_credits',
        reference: null,
        description: `${plan.name} credits for the cycle from ${dayForPeople(cycle.start)}`,
      },
      context.newId,
    );
  }
  book.account.status = accountStatus(plan.billing, book.account.balance);

  return writeAsIs(context, {
    accounts: [],
    run: async ({ tx }) => {
      const inserted = await insertAccount(tx, { ...account, status: book.account.status }, cycle.end);
      if (!inserted) {
        throw new DomainFailure({ code: 'already_exists', resource: 'account', id: account.id, message: `An account with id '${account.id}' exists already.` });
      }
      const writes = addBookWrites(new Writes(), { changes: changesOf([book]), recordedAt: now });
      // The first cycle's fee, paid up front: the account opens with its invoice.
      if (fee.lines.length > 0) {
        const issued = await issueInvoice(tx, {
          context: { newId: context.newId, catalog },
          account: book.account,
          kind: 'opening',
          period: { start: feeFrom, end: cycle.end },
          lines: fee.lines,
          writes,
          now,
        });
        addOutboxWrites(writes, [issued.message], now);
      }
      return { answer: book.account, writes };
    },
  });
}
