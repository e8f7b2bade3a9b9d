// Plans: the catalog's plans, plan changes (preview, apply, cancel), cancelling the subscription,
// and the counted resources plan limits apply to.
import { Router } from 'express';
import type { Catalog } from '../domain/catalog/Catalog';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { buyAddOn } from '../usecases/buyAddOn';
import { cancelSubscription, withdrawCancellation } from '../usecases/cancelSubscription';
import { cancelPlanChange, changePlan } from '../usecases/changePlan';
import type { Context } from '../usecases/Context';
import { recommendPlans } from '../usecases/recommendPlans';
import { setResources } from '../usecases/updateAccount';
import { addOnBody, planChangeBody, resourcesBody } from './schemas';
import { accountView } from './views';

/** Every meter a plan's allowance counts, once, with its unit (the first plan's, in catalog order). */
function meterList(catalog: Catalog): { meter: string; unit: string }[] {
  const meters = new Map<string, string>();
  for (const allowance of catalog.plans.flatMap((p) => p.allowances)) if (!meters.has(allowance.meter)) meters.set(allowance.meter, allowance.unit);
  return [...meters].map(([meter, unit]) => ({ meter, unit }));
}

export function planRoutes(context: Context): Router {
  const router = Router();

  // The catalog as a whole: the latest version, what new accounts subscribe on.
  router.get('/plans', async (_req, res) => {
    const catalog = await context.catalogs.latestCatalog();
    res.json({
      currency: catalog.currency,
      plans: catalog.plans.map((p) => ({
        code: p.code,
        name: p.name,
        billing: p.billing,
        price: p.price ? { month: p.price.month.toFixed(), year: p.price.year.toFixed() } : null,
        credits: p.credits ? { month: p.credits.month.toFixed(), year: p.credits.year.toFixed() } : null,
        features: p.features,
        limits: p.limits,
        allowances: p.allowances.map((a) => ({ meter: a.meter, unit: a.unit, included: 'total' in a.included ? { total: String(a.included.total) } : { month: String(a.included.month), year: String(a.included.year) } })),
        // Who may still choose it; left off for a plan open to everyone.
        ...(p.available
          ? { available: { ...(p.available.from ? { from: p.available.from.toISOString() } : {}), ...(p.available.until ? { until: p.available.until.toISOString() } : {}), ...(p.available.countries ? { countries: p.available.countries } : {}) } }
          : {}),
      })),
      addOns: catalog.addOns.map((a) => ({
        code: a.code,
        name: a.name,
        price: a.price.toFixed(),
        credits: a.credits?.toFixed() ?? null,
        allowance: a.allowance ? { meter: a.allowance.meter, units: a.allowance.units.toFixed() } : null,
      })),
      // What a client builds its pickers from: the types of event the catalog prices, and the meters
      // its plans count (alert rules and reports name them).
      eventTypes: eventSchemaFor(catalog).types.filter((type) => catalog.services.some((s) => s.event === type)),
      meters: meterList(catalog),
    });
  });

  router.get('/accounts/:id/recommendations', async (req, res) => {
    res.json(await recommendPlans(context, req.params.id));
  });

  router.post('/accounts/:id/plan-change', async (req, res) => {
    res.json(await changePlan(context, req.params.id, planChangeBody.parse(req.body)));
  });

  router.delete('/accounts/:id/plan-change', async (req, res) => {
    res.json(await cancelPlanChange(context, req.params.id));
  });

  router.post('/accounts/:id/add-ons', async (req, res) => {
    res.status(201).json(await buyAddOn(context, req.params.id, addOnBody.parse(req.body)));
  });

  router.post('/accounts/:id/cancel', async (req, res) => {
    res.json(await cancelSubscription(context, req.params.id));
  });

  router.delete('/accounts/:id/cancel', async (req, res) => {
    res.json(await withdrawCancellation(context, req.params.id));
  });

  router.put('/accounts/:id/resources', async (req, res) => {
    res.json(accountView(await setResources(context, req.params.id, resourcesBody.parse(req.body))));
  });

  return router;
}
