// Adds prepaid credit to an account. Idempotent by the caller's reference: the same reference again
// adds nothing and returns the first top-up. A top-up pays back debt first and can resume a
// paused account.
import { accountStatus } from '../domain/account/Account';
import { findPlan } from '../domain/catalog/Catalog';
import { topUpExpiry } from '../domain/ledger/topUpExpiry';
import { DomainFailure, idempotencyConflict, notFound, validationFailed } from '../domain/errors';
import { changesOf, credit, lapseExpiredGrants, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money, type Money } from '../domain/money';
import { accountLinks } from '../domain/alerts/accountSignals';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addBookWrites } from '../store/books';
import { settleRecharge } from '../store/recharge';
import { Writes } from '../store/Writes';
import { watchAccounts } from './watchAccounts';
import { lockAccounts, readOpenGrants } from '../store/rows';
import type { Context } from './Context';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import { assertNoCycleDue, withCyclesClosed } from './closeDueFirst';

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
  const result = await withCyclesClosed(context, (unclosable) => context.db.transaction(async (tx) => {
    const account = (await lockAccounts(tx, [input.accountId])).get(input.accountId);
    if (!account) throw new DomainFailure(notFound('account', input.accountId));
    assertNoCycleDue([account], context.clock.now(), unclosable);
    const [previous] = await tx.query<{ id: string; amount: string; grant_id: string; created_at: Date; expires_at: Date | null }>(
      `SELECT t.id, t.amount, t.grant_id, t.created_at, g.expires_at FROM topups t JOIN grants g ON g.id = t.grant_id
       WHERE t.account_id = $1 AND t.reference = $2`,
      [input.accountId, input.reference],
    );
    if (previous) {
      if (!money(previous.amount).equals(input.amount)) {
        throw new DomainFailure(idempotencyConflict(`Top-up '${input.reference}'`, 'amount', previous.amount, decimalString(input.amount)));
      }
      changesNothing();
      return {
        created: false,
        topUp: {
          id: previous.id,
          accountId: account.id,
          reference: input.reference,
          amount: previous.amount,
          grantId: previous.grant_id,
          expiresAt: previous.expires_at?.toISOString() ?? null,
          createdAt: previous.created_at.toISOString(),
          balance: decimalString(account.balance),
          status: account.status,
        },
      };
    }
    const now = context.clock.now();
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
      { id: grantId, kind: 'topup', priority: input.priority ?? 0, grantedAt: now, expiresAt, amount: input.amount },
      'topup',
      input.reference,
      `Top-up ${input.reference}`,
      context.newId,
    );
    if (plan) book.account.status = accountStatus(plan.billing, book.account.balance);
    const id = context.newId('top');
    madeByRequest(id);
    const writes = addBookWrites(new Writes(), changesOf([book]), now);
    writes.add(
      (p) => `INSERT INTO topups (account_id, reference, id, grant_id, amount, created_at)
       VALUES (${p(account.id)}, ${p(input.reference)}, ${p(id)}, ${p(grantId)}, ${p(decimalString(input.amount))}, ${p(now.toISOString())})`,
    );
    const settled = await settleRecharge(tx, account.id, input.reference, now);
    const succeeded = webhookMessage('topup.succeeded', { accountId: account.id, occurredAt: now, newId: context.newId }, {
      account: account.id,
      topup: id,
      reference: input.reference,
      amount: decimalString(input.amount),
      balance: decimalString(book.account.balance),
      status: book.account.status,
      links: accountLinks(account.id),
      // Left out of the JSON when undefined; written as a key, so the compiler checks its name.
      recharge: settled ? input.reference : undefined,
    });
    await watchAccounts(tx, context, [{ before: account, after: book.account, allowanceUsed: new Map() }], [], [succeeded], writes, now);
    await writes.run(tx);
    return {
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
    };
  }));
  if (result.created) context.snapshots.changed([input.accountId]);
  return result;
}
