// Dedicated phone numbers of an account: rent, list, release.
import { Router } from 'express';
import type { Context } from '../usecases/Context';
import { listNumbers, releaseNumber, rentNumber } from '../usecases/phoneNumbers';
import { phoneNumbersQuery, rentNumberBody } from './schemas';

export function phoneNumberRoutes(context: Context): Router {
  const router = Router();

  router.post('/accounts/:id/phone-numbers', async (req, res) => {
    res.status(201).json(await rentNumber(context, req.params.id, rentNumberBody.parse(req.body)));
  });

  router.get('/accounts/:id/phone-numbers', async (req, res) => {
    const { status } = phoneNumbersQuery.parse(req.query);
    res.json(await listNumbers(context, req.params.id, status === 'all'));
  });

  router.delete('/accounts/:id/phone-numbers/:number', async (req, res) => {
    res.json(await releaseNumber(context, req.params.id, req.params.number));
  });

  return router;
}
