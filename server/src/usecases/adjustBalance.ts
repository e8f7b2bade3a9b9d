// An operator corrects an account's balance, saying why: a credit (a goodwill gesture) adds a grant,
// a debit (a correction) draws from the grants; the status follows as after a top-up or usage.
// Idempotent by the caller's reference: the same reference with the same amount and expiry answers
// the first adjustment and writes nothing; with another, it is a conflict.
import { accountPlan } from '../domain/catalog/Catalog';
import { accountLinks } from '../domain/alerts/accountSignals';
import { DomainFailure, idempotencyConflict } from '../domain/errors';
import { planAdjustment } from '../domain/ledger/planAdjustment';
import { decimalString, money, type Money } from '../domain/money';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addAdjustmentWrite, readAdjustmentByReference, type StoredAdjustment } from '../store/adjustments';
import { addBookWrites } from '../store/books';
import { readOpenGrants } from '../store/rows';
import { Writes } from '../store/Writes';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import type { Context } from './Context';
import { ledgerEntryView, type LedgerEntryView, writtenEntryView } from './listLedger';
import { watchAccounts } from './watchAccounts';
import { writeAccounts } from './writeAccounts';

export interface AdjustmentInput {
  accountId: string;
  /** Signed, never zero. */
  amount: Money;
  reason: string;
  reference: string;
  expiresAt: Date | null;
  /** The key whose request makes it: stored with it and on each of its entries. */
  keyId: string;
}

export interface Adjusted {
  adjustment: {
    id: string;
    account: string;
    amount: string;
    reason: string;
    reference: string;
    expiresAt: string | null;
    grantId: string | null;
    keyId: string;
    createdAt: string;
  };
  entries: LedgerEntryView[];
  balance: string;
  status: string;
}

export async function adjustBalance(context: Context, input: AdjustmentInput): Promise<{ adjusted: Adjusted; created: boolean }> {
  return writeAccounts<{ adjusted: Adjusted; created: boolean }>(context, {
    accounts: [input.accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(input.accountId)!;
      const previous = await readAdjustmentByReference(tx, account.id, input.reference);
      if (previous) {
        assertSameAdjustment(previous, input);
        changesNothing();
        // As for a top-up sent again: the first adjustment and its entries, the account as it stands now.
        return { answer: { created: false, adjusted: { ...storedView(previous), balance: decimalString(account.balance), status: account.status } } };
      }
      const catalog = await context.catalogs.forAccount(account);
      const plan = accountPlan(catalog, account);
      const grants = (await readOpenGrants(tx, [account.id])).get(account.id) ?? [];
      const request = { amount: input.amount, reason: input.reason, reference: input.reference, expiresAt: input.expiresAt };
      const planned = planAdjustment({ account, plan, catalog, grants, request, now, newId: context.newId });
      const id = madeByRequest(context.newId('adj'));
      const writes = addBookWrites(new Writes(), { changes: planned.changes, recordedAt: now, makerOf: () => input.keyId });
      addAdjustmentWrite(writes, {
        ...request,
        id,
        accountId: account.id,
        grantId: planned.grantId,
        entryIds: planned.entries.map((e) => e.id),
        keyId: input.keyId,
        createdAt: now,
      });
      const adjusted: Adjusted = {
        adjustment: {
          id,
          account: account.id,
          amount: decimalString(input.amount),
          reason: input.reason,
          reference: input.reference,
          expiresAt: input.expiresAt?.toISOString() ?? null,
          grantId: planned.grantId,
          keyId: input.keyId,
          createdAt: now.toISOString(),
        },
        entries: planned.entries.map((entry) => writtenEntryView(entry, { recordedAt: now, keyId: input.keyId })),
        balance: decimalString(planned.after.balance),
        status: planned.after.status,
      };
      const { amount, reason, reference, expiresAt, keyId } = adjusted.adjustment;
      const message = webhookMessage(
        'balance.adjusted',
        { accountId: account.id, occurredAt: now, newId: context.newId },
        {
          account: account.id,
          balance: adjusted.balance,
          status: planned.after.status,
          links: accountLinks(account.id),
          adjustment: { id, amount, reason, reference, expiresAt, keyId },
        },
      );
      // Status, alert and recharge messages follow as after a top-up or usage (service.paused at zero, resumed above it).
      await watchAccounts(tx, { context, changes: [{ before: account, after: planned.after, allowanceUsed: new Map() }], messages: [message], writes, now });
      return { answer: { created: true, adjusted }, writes, changed: [account.id] };
    },
  });
}

/** The same reference is the same adjustment only with the same amount and expiry; the reason may be worded again. */
function assertSameAdjustment(previous: StoredAdjustment, input: AdjustmentInput): void {
  const what = `Adjustment '${input.reference}'`;
  if (!money(previous.amount).equals(input.amount)) {
    throw new DomainFailure(idempotencyConflict({ what, field: 'amount', first: previous.amount, again: decimalString(input.amount) }));
  }
  const first = previous.expiresAt?.toISOString() ?? null;
  const again = input.expiresAt?.toISOString() ?? null;
  if (first !== again) throw new DomainFailure(idempotencyConflict({ what, field: 'expiresAt', first, again }));
}

function storedView(stored: StoredAdjustment): Omit<Adjusted, 'balance' | 'status'> {
  return {
    adjustment: {
      id: stored.id,
      account: stored.accountId,
      amount: stored.amount,
      reason: stored.reason,
      reference: stored.reference,
      expiresAt: stored.expiresAt?.toISOString() ?? null,
      grantId: stored.grantId,
      keyId: stored.keyId,
      createdAt: stored.createdAt.toISOString(),
    },
    entries: stored.entries.map(ledgerEntryView),
  };
}

