// Adds prepaid credit to an account. Idempotent by the caller's reference: the same reference again
// adds nothing and returns the first top-up, with the invoice it issued. A top-up pays back debt
// first and can resume a paused account.
//
// A paid top-up is invoiced at once, in the top-up's transaction (kind 'topup', the next number of
// the one sequence, VAT by the account's tax situation as every invoice): one that carries `paid`
// (invoiced at that net, marked paid with the top-up's reference as the payment), and one whose
// reference answers a customer's top-up request or an auto-recharge request (the operator tops up
// once those are paid: invoiced at the request's price, or the catalog's topUps.price, and marked
// paid). Any other top-up is a grant without payment and issues nothing, unless `invoice: true`
// asks for an open invoice at the catalog's price; `invoice: false` leaves a request's top-up
// uninvoiced. The rule itself is domain/invoice/topUpInvoice.
import { accountStatus } from '../domain/account/Account';
import { findPlan } from '../domain/catalog/Catalog';
import { topUpExpiry } from '../domain/ledger/topUpExpiry';
import { DomainFailure, idempotencyConflict, validationFailed } from '../domain/errors';
import { changesOf, credit, lapseExpiredGrants, openBook } from '../domain/ledger/AccountBook';
import { decimalString, money, type Money } from '../domain/money';
import { accountLinks } from '../domain/alerts/accountSignals';
import { checkPaidCurrency, topUpBilling, topUpLine, type TopUpOrigin, type TopUpPaid } from '../domain/invoice/topUpInvoice';
import { webhookMessage } from '../domain/webhooks/WebhookEvent';
import { addBookWrites } from '../store/books';
import { isRechargeReference, settleRecharge } from '../store/recharge';
import { Writes } from '../store/Writes';
import { watchAccounts } from './watchAccounts';
import { readOpenGrants } from '../store/rows';
import { addTopUpWrite, readTopUpByReference, type TopUpInvoice } from '../store/topUps';
import { readTopUpRequest } from '../store/topUpRequests';
import { addOutboxWrites } from '../store/outbox';
import type { Queryable } from '../store/Database';
import type { Context } from './Context';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import { writeAccounts } from './writeAccounts';
import { issueInvoice } from './invoices';
import { isIssued } from '../store/invoices';

export interface TopUpInput {
  accountId: string;
  amount: Money;
  reference: string;
  expiresAt?: Date;
  priority?: number;
  /** What the customer paid, net; the top-up is invoiced at it. */
  paid?: TopUpPaid;
  /** Whether to invoice it; by default when it was paid for (see the top of this module). */
  invoice?: boolean;
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
  /** The invoice this top-up issued, or null. */
  invoice: TopUpInvoice | null;
}

/** What the reference answers: a customer's top-up request of this account, an auto-recharge request, or neither. */
async function originOf(tx: Queryable, accountId: string, reference: string): Promise<TopUpOrigin> {
  const request = await readTopUpRequest(tx, reference);
  if (request && request.accountId === accountId) return { kind: 'request', amount: request.amount, price: request.price };
  return (await isRechargeReference(tx, { accountId, reference })) ? { kind: 'recharge' } : { kind: 'none' };
}

export async function topUp(context: Context, input: TopUpInput): Promise<{ topUp: TopUp; created: boolean }> {
  return writeAccounts<{ topUp: TopUp; created: boolean }>(context, {
    accounts: [input.accountId],
    run: async ({ tx, accounts, now }) => {
      const account = accounts.get(input.accountId)!;
      const catalog = await context.catalogs.forAccount(account);
      checkPaidCurrency(catalog, input.paid);
      const previous = await readTopUpByReference(tx, input.accountId, input.reference);
      if (previous) {
        if (!money(previous.amount).equals(input.amount)) {
          throw new DomainFailure(
            idempotencyConflict({ what: `Top-up '${input.reference}'`, field: 'amount', first: previous.amount, again: decimalString(input.amount) }),
          );
        }
        // Sent again with what was paid: the first must have been invoiced at that net.
        if (input.paid && !(previous.invoice && money(previous.invoice.net).equals(input.paid.net))) {
          throw new DomainFailure(
            idempotencyConflict({
              what: `Top-up '${input.reference}'`,
              field: 'paid.net',
              first: previous.invoice?.net ?? null,
              again: input.paid.net.toFixed(2),
            }),
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
              invoice: previous.invoice,
            },
          },
        };
      }
      if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
        throw new DomainFailure(validationFailed('expiresAt', 'must lie in the future'));
      }
      const origin: TopUpOrigin = input.paid || input.invoice === false ? { kind: 'none' } : await originOf(tx, account.id, input.reference);
      const billing = topUpBilling({ catalog, amount: input.amount, paid: input.paid, invoice: input.invoice, origin });
      const plan = findPlan(catalog, account.plan);
      const expiresAt = input.expiresAt ?? topUpExpiry(catalog.topUps.expire, account.anchor, now);
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
      // Last, after every read: the invoice's number keeps the sequence locked until the commit.
      let invoice: TopUpInvoice | null = null;
      if (billing.invoice) {
        const issued = await issueInvoice(tx, {
          context: { newId: context.newId, catalog },
          account: book.account,
          kind: 'topup',
          period: { start: now, end: now },
          lines: [topUpLine({ catalog, amount: input.amount, net: billing.net })],
          writes,
          now,
          ...(billing.paid ? { paidBy: input.reference } : {}),
        });
        addOutboxWrites(writes, [issued.message], now);
        // A top-up's invoice is never held as a draft (issueInvoice): it has its number.
        if (!isIssued(issued.invoice)) throw new Error(`top-up invoice ${issued.invoice.id} was held as a draft`);
        const { id: invoiceId, number, currency, net, tax, gross } = issued.invoice;
        invoice = { id: invoiceId, number, currency, net, tax, gross };
      }
      addTopUpWrite(writes, {
        id,
        accountId: account.id,
        reference: input.reference,
        grantId,
        amount: input.amount,
        createdAt: now,
        invoiceId: invoice?.id ?? null,
      });
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
            invoice,
          },
        },
        writes,
        changed: [account.id],
      };
    },
  });
}
