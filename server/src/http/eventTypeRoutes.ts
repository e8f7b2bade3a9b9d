// The catalog's event types with all their fields (built-in and declared): what a client such as
// the n8n node builds its forms from, so that a type the operator adds needs no client update.
import { Router } from 'express';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { isBuiltInEventType } from '../domain/event/UsageEvent';
import type { Catalog } from '../domain/catalog/Catalog';
import type { Context } from '../usecases/Context';

export function eventTypeRoutes(context: Context): Router {
  const router = Router();

  const view = (catalog: Catalog) => (type: string) => ({
    type,
    builtIn: isBuiltInEventType(type),
    // Whether a service prices it: an event of a type no service names is refused as unpriced.
    priced: catalog.services.some((s) => s.event === type),
    fields: eventSchemaFor(catalog).fields.get(type)!,
  });

  // The latest catalog version's types: what accounts opened now may record.
  router.get('/catalog/events', async (_req, res) => {
    const catalog = await context.catalogs.latestCatalog();
    res.json({ eventTypes: eventSchemaFor(catalog).types.map(view(catalog)) });
  });

  return router;
}
