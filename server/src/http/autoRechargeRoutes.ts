// Auto-recharge settings of an account.
import { Router } from 'express';
import { decimalString, money } from '../domain/money';
import type { StoredAutoRecharge } from '../store/recharge';
import { getAutoRecharge, setAutoRecharge } from '../usecases/autoRecharge';
import type { Context } from '../usecases/Context';
import { autoRechargeBody } from './schemas';

function settingsView(s: StoredAutoRecharge | undefined) {
  if (!s) return { enabled: false };
  return {
    enabled: s.enabled,
    threshold: decimalString(s.threshold),
    amount: s.amount && decimalString(s.amount),
    targetBalance: s.targetBalance && decimalString(s.targetBalance),
    monthlyLimit: decimalString(s.monthlyLimit),
    timeoutMinutes: s.timeoutSeconds / 60,
    failuresInARow: s.failures,
    disabledReason: s.disabledReason,
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function autoRechargeRoutes(context: Context): Router {
  const router = Router();

  router.put('/accounts/:id/auto-recharge', async (req, res) => {
    const body = autoRechargeBody.parse(req.body);
    const settings = await setAutoRecharge(context, req.params.id, {
      enabled: body.enabled,
      threshold: money(body.threshold),
      amount: body.amount ? money(body.amount) : null,
      targetBalance: body.targetBalance ? money(body.targetBalance) : null,
      monthlyLimit: money(body.monthlyLimit),
      timeoutSeconds: body.timeoutMinutes * 60,
    });
    res.json({ account: req.params.id, ...settingsView(settings), openRequest: null });
  });

  router.get('/accounts/:id/auto-recharge', async (req, res) => {
    const { settings, open } = await getAutoRecharge(context, req.params.id);
    res.json({
      account: req.params.id,
      ...settingsView(settings),
      openRequest: open ? { id: open.id, reference: open.reference, amount: open.amount, requestedAt: open.requested_at.toISOString(), dueAt: open.due_at.toISOString() } : null,
    });
  });

  return router;
}
