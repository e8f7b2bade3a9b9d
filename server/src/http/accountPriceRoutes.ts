// An account's own prices by service: PUT replaces them, GET reads them, DELETE removes them (all, or one service's).
import { Router } from 'express';
import { type AccountPrices, accountPricesInput } from '../domain/account/AccountPrices';
import type { Context } from '../usecases/Context';
import { readAccountPrices, removeAccountPrices, setAccountPrices } from '../usecases/accountPrices';

export function accountPriceRoutes(context: Context): Router {
  const router = Router();

  router.put('/accounts/:id/prices', async (req, res) => {
    const body = accountPricesInput.parse(req.body);
    res.json(await setAccountPrices(context, req.params.id, body.services as AccountPrices));
  });

  router.get('/accounts/:id/prices', async (req, res) => {
    res.json(await readAccountPrices(context, req.params.id));
  });

  router.delete('/accounts/:id/prices', async (req, res) => {
    res.json(await removeAccountPrices(context, req.params.id));
  });

  router.delete('/accounts/:id/prices/:service', async (req, res) => {
    res.json(await removeAccountPrices(context, req.params.id, req.params.service));
  });

  return router;
}
