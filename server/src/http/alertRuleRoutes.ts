// Alert rules: percent of an allowance, balance below, cycle spend above.
import { Router } from 'express';
import { money } from '../domain/money';
import { createAlertRule, deleteAlertRule, getAlertRule, listAlertRules } from '../usecases/alertRules';
import type { Context } from '../usecases/Context';
import { alertRuleQuery, createAlertRuleBody } from './schemas';
import { alertRuleView } from './views';

export function alertRuleRoutes(context: Context): Router {
  const router = Router();

  router.post('/alert-rules', async (req, res) => {
    const body = createAlertRuleBody.parse(req.body);
    const thresholds = body.thresholds.map((t) => money(t));
    res.status(201);
    res.json(alertRuleView(await createAlertRule(context, { ...body, thresholds })));
  });

  router.get('/alert-rules', async (req, res) => {
    const { account } = alertRuleQuery.parse(req.query);
    res.json({ rules: (await listAlertRules(context, account)).map(alertRuleView) });
  });

  router.get('/alert-rules/:id', async (req, res) => {
    res.json(alertRuleView(await getAlertRule(context, req.params.id)));
  });

  router.delete('/alert-rules/:id', async (req, res) => {
    res.status(204);
    await deleteAlertRule(context, req.params.id);
    res.end();
  });

  return router;
}
