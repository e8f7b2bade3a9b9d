// Adds prepaid credit to an account. Idempotent by the caller's reference: the same reference again
// adds nothing and returns the first top-up. A top-up pays back debt first and can resume a
// paused account.
import { accountStatus } from '../domain/account/Account';
import { findPlan } from '../domain/catalog/Catalog';
import { topUpExpiry } from '../domain/ledger/topUpExpiry';
import { DomainFailure, idempotencyConflict, validationFailed } from '../domain/errors';
import { changesOf, credit, lapseExpiredGrants, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money, type Money } from '../domain/money';
import { accountLinks } from '../domain/alerts/accountSignals';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addBookWrites } from '../store/books';
import { settleRecharge } from '../store/recharge';
import { Writes } from '../store/Writes';
import { watchAccounts } from './watchAccounts';
import { readOpenGrants } from '../store/rows';
import { addTopUpWrite, readTopUpByReference } from '../store/topUps';
import type { Context } from './Context';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import { writeAccounts } from './writeAccounts';

export interface TopUpInput {
  accountId: string;
  amount: Money;
  reference: string;
  expiresAt?: Date;
  priority?: number;
}

export interface TopUp {
  id: string;
  accountId: string;
  reference: string;
  amount: string;
  grantId: string;
  expiresAt: string | null;
  createdAt: string;
  balance: string;
  status: string;
}

export async function topUp(context: Context, input: TopUpInput): Promise<{ topUp: TopUp; created: boolean }> {
  return writeAccounts<{ topUp: TopUp; created: boolean }>(context, {
    accounts: [input.accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(input.accountId)!;
      const previous = await readTopUpByReference(tx, input.accountId, input.reference);
      if (previous) {
        if (!money(previous.amount).equals(input.amount)) {
          throw new DomainFailure(
            idempotencyConflict({ what: `Top-up '${input.reference}'`, field: 'amount', first: previous.amount, again: decimalString(input.amount) }),
          );
        }
        changesNothing();
        return {
          answer: {
            created: false,
            topUp: {
              id: previous.id,
              accountId: account.id,
              reference: input.reference,
              amount: previous.amount,
              grantId: previous.grantId,
              expiresAt: previous.expiresAt?.toISOString() ?? null,
              createdAt: previous.createdAt.toISOString(),
              balance: decimalString(account.balance),
              status: account.status,
            },
          },
        };
      }
      if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
        throw new DomainFailure(validationFailed('expiresAt', 'must lie in the future'));
      }
      const plan = findPlan(context.catalog, account.plan);
      const expiresAt = input.expiresAt ?? topUpExpiry(context.catalog.topUps.expire, account.anchor, now);
      const book = openBook(account, (await readOpenGrants(tx, [account.id])).get(account.id) ?? []);
      lapseExpiredGrants(book, now, context.newId);
      const grantId = context.newId('grt');
      credit(
        book,
        {
          grant: { id: grantId, kind: 'topup', priority: input.priority ?? 0, grantedAt: now, expiresAt, amount: input.amount },
          kind: 'topup',
          reference: input.reference,
          description: `Top-up ${input.reference}`,
        },
        context.newId,
      );
      if (plan) book.account.status = accountStatus(plan.billing, book.account.balance);
      const id = context.newId('top');
      madeByRequest(id);
      const writes = addBookWrites(new Writes(), { changes: changesOf([book]), recordedAt: now });
      addTopUpWrite(writes, { id, accountId: account.id, reference: input.reference, grantId, amount: input.amount, createdAt: now });
      const settled = await settleRecharge(tx, { accountId: account.id, reference: input.reference, now });
      const succeeded = webhookMessage(
        'topup.succeeded',
        { accountId: account.id, occurredAt: now, newId: context.newId },
        {
          account: account.id,
          topup: id,
          reference: input.reference,
          amount: decimalString(input.amount),
          balance: decimalString(book.account.balance),
          status: book.account.status,
          links: accountLinks(account.id),
          ...(settled ? { recharge: input.reference } : {}),
        },
      );
      await watchAccounts(tx, { context, changes: [{ before: account, after: book.account, allowanceUsed: new Map() }], messages: [succeeded], writes, now });
      return {
        answer: {
          created: true,
          topUp: {
            id,
            accountId: account.id,
            reference: input.reference,
            amount: decimalString(input.amount),
            grantId,
            expiresAt: expiresAt?.toISOString() ?? null,
            createdAt: now.toISOString(),
            balance: decimalString(book.account.balance),
            status: book.account.status,
          },
        },
        writes,
        changed: [account.id],
      };
    },
  });
}
