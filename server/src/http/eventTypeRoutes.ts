// The catalog's event types with all their fields (built-in and declared): what a client such as
// the n8n node builds its forms from, so that a type the operator adds needs no client update.
import { Router } from 'express';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { isBuiltInEventType } from '../domain/event/UsageEvent';
import type { Context } from '../usecases/Context';

export function eventTypeRoutes(context: Context): Router {
  const router = Router();

  const view = (type: string) => {
    const schemas = eventSchemaFor(context.catalog);
    return {
      type,
      builtIn: isBuiltInEventType(type),
      // Whether a service prices it: an event of a type no service names is refused as unpriced.
      priced: context.catalog.services.some((s) => s.event === type),
      fields: schemas.fields.get(type)!,
    };
  };

  router.get('/catalog/events', (_req, res) => {
    res.json({ eventTypes: eventSchemaFor(context.catalog).types.map(view) });
  });

  return router;
}
