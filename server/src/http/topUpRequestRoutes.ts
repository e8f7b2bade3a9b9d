// Customers' requests to buy balance, as the operator sees them: make one for an account (as the
// dashboard does), read one, and answer one with the checkout link the customer pays at.
import { Router } from 'express';
import { reaches } from '../domain/access/ApiKey';
import { money } from '../domain/money';
import type { Context } from '../usecases/Context';
import { answerTopUpRequest, getTopUpRequest, requestTopUp } from '../usecases/topUpRequests';
import { keyOf } from './scopes';
import { checkoutBody, topUpRequestBody } from './schemas';

export function topUpRequestRoutes(context: Context): Router {
  const router = Router();

  router.post('/accounts/:id/topup-requests', async (req, res) => {
    const body = topUpRequestBody.parse(req.body);
    // Set before the request is made: the audit row written with it says what the answer will.
    res.status(201);
    const result = await requestTopUp(context, req.params.id, money(body.amount));
    res.status(result.created ? 201 : 200).json(result.request);
  });

  router.get('/topup-requests/:id', async (req, res) => {
    res.json(await getTopUpRequest(context, req.params.id, (account) => reaches(keyOf(res), account)));
  });

  router.post('/topup-requests/:id/checkout', async (req, res) => {
    const body = checkoutBody.parse(req.body);
    res.json(await answerTopUpRequest(context, { id: req.params.id, checkoutUrl: body.url, reaches: (account) => reaches(keyOf(res), account) }));
  });

  return router;
}
