// A postpaid account's spend limit per cycle.
import { Router } from 'express';
import { money } from '../domain/money';
import type { Context } from '../usecases/Context';
import { readSpendLimit, removeSpendLimit, setSpendLimit } from '../usecases/spendLimit';
import { spendLimitBody } from './schemas';

export function spendLimitRoutes(context: Context): Router {
  const router = Router();

  router.put('/accounts/:id/spend-limit', async (req, res) => {
    res.json(await setSpendLimit(context, req.params.id, money(spendLimitBody.parse(req.body).amount)));
  });

  router.get('/accounts/:id/spend-limit', async (req, res) => {
    res.json(await readSpendLimit(context, req.params.id));
  });

  router.delete('/accounts/:id/spend-limit', async (req, res) => {
    res.json(await removeSpendLimit(context, req.params.id));
  });

  return router;
}
