// Accounts, balances, top-ups, adjustments, authorize and the ledger.
import { Router } from 'express';
import { keyOf } from './scopes';
import { catalogOfAccount, parsePartialEventData } from './eventData';
import { money } from '../domain/money';
import { authorizeUsage } from '../usecases/authorizeUsage';
import type { Context } from '../usecases/Context';
import { listLedger } from '../usecases/listLedger';
import { openAccount } from '../usecases/openAccount';
import { balanceView, readAccountUsage } from '../usecases/readAccountUsage';
import { topUp } from '../usecases/topUp';
import { adjustBalance } from '../usecases/adjustBalance';
import { updateAccount } from '../usecases/updateAccount';
import { DomainFailure, notFound } from '../domain/errors';
import { readAccount, readAccountPage } from '../store/accounts';
import { accountListQuery, adjustmentBody, authorizeBody, createAccountBody, ledgerQuery, topUpBody, updateAccountBody } from './schemas';
import { accountView } from './views';

/** Most accounts one list returns; the operator pages with `after`. */
const MAX_ACCOUNTS_PER_PAGE = 500;

export function accountRoutes(context: Context): Router {
  const router = Router();

  router.post('/accounts', async (req, res) => {
    const { anchor, ...body } = createAccountBody.parse(req.body);
    // The status is set before the change: its audit row, written with it, says what the answer will.
    res.status(201);
    res.json(accountView(await openAccount(context, { ...body, ...(anchor ? { anchor: new Date(anchor) } : {}) })));
  });

  router.get('/accounts', async (req, res) => {
    const { after, search } = accountListQuery.parse(req.query);
    // A key limited to accounts lists those alone.
    const only = keyOf(res).accounts;
    const rows = await readAccountPage(context.db, { after, limit: MAX_ACCOUNTS_PER_PAGE + 1, only, search });
    const page = rows.slice(0, MAX_ACCOUNTS_PER_PAGE);
    res.json({
      accounts: page.map(accountView),
      next: rows.length > MAX_ACCOUNTS_PER_PAGE ? page[page.length - 1]!.id : null,
    });
  });

  router.get('/accounts/:id', async (req, res) => {
    const account = await readAccount(context.db, req.params.id);
    if (!account) throw new DomainFailure(notFound('account', req.params.id));
    res.json(accountView(account));
  });

  router.patch('/accounts/:id', async (req, res) => {
    const body = updateAccountBody.parse(req.body);
    res.json(accountView(await updateAccount(context, req.params.id, body)));
  });

  router.get('/accounts/:id/balance', async (req, res) => {
    const usage = await readAccountUsage(context, req.params.id);
    res.json(balanceView(usage, context.clock.now(), usage.catalog.balanceUnit));
  });

  router.post('/accounts/:id/topups', async (req, res) => {
    const body = topUpBody.parse(req.body);
    res.status(201);
    const result = await topUp(context, {
      accountId: req.params.id,
      amount: money(body.amount),
      reference: body.reference,
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
      ...(body.priority !== undefined ? { priority: body.priority } : {}),
      ...(body.paid ? { paid: { net: money(body.paid.net), currency: body.paid.currency } } : {}),
      ...(body.invoice !== undefined ? { invoice: body.invoice } : {}),
    });
    res.status(result.created ? 201 : 200).json({ ...result.topUp, duplicate: !result.created });
  });

  router.post('/accounts/:id/adjustments', async (req, res) => {
    const body = adjustmentBody.parse(req.body);
    res.status(201);
    const result = await adjustBalance(context, {
      accountId: req.params.id,
      amount: money(body.amount),
      reason: body.reason,
      reference: body.reference,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      keyId: keyOf(res).id,
    });
    res.status(result.created ? 201 : 200).json({ ...result.adjusted, duplicate: !result.created });
  });

  router.post('/accounts/:id/authorize', async (req, res) => {
    const body = authorizeBody.parse(req.body);
    const data = parsePartialEventData(await catalogOfAccount(context, req.params.id), body.type, body.data ?? {}, 'data');
    res.json(await authorizeUsage(context, { accountId: req.params.id, type: body.type, data }));
  });

  router.get('/accounts/:id/ledger', async (req, res) => {
    const query = ledgerQuery.parse(req.query);
    res.json(await listLedger(context, { accountId: req.params.id, cursor: query.cursor, limit: query.limit }));
  });

  return router;
}
