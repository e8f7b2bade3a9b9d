// Billing cycles of an account: the current one with the closings so far, and closing on demand.
import { Router } from 'express';
import { closeDueCycles, listCycles } from '../usecases/closeCycles';
import { closingView } from '../domain/cycle/planClosing';
import type { Context } from '../usecases/Context';

export function cycleRoutes(context: Context): Router {
  const router = Router();

  router.get('/accounts/:id/cycles', async (req, res) => {
    res.json(await listCycles(context, req.params.id));
  });

  // Closes what has ended by now (the timer would, within seconds); nothing when up to date.
  router.post('/accounts/:id/cycles/close', async (req, res) => {
    const closed = await closeDueCycles(context, req.params.id);
    res.json({ account: req.params.id, closed: closed.map(closingView) });
  });

  return router;
}
