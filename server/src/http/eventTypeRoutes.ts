// The catalog's event types with all their fields (built-in and declared): what a client such as
// the n8n node builds its forms from, so that a type the operator adds needs no client update.
import { Router } from 'express';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { isBuiltInEventType } from '../domain/event/UsageEvent';
import type { Catalog } from '../domain/catalog/Catalog';
import type { Context } from '../usecases/Context';
import { DomainFailure, notFound } from '../domain/errors';
import { readCatalogVersionOf } from '../store/accounts';
import { eventTypesQuery } from './schemas';
import { assertReaches } from './scopes';

export function eventTypeRoutes(context: Context): Router {
  const router = Router();

  const view = (catalog: Catalog) => (type: string) => ({
    type,
    builtIn: isBuiltInEventType(type),
    // Whether a service prices it: an event of a type no service names is refused as unpriced.
    priced: catalog.services.some((s) => s.event === type),
    fields: eventSchemaFor(catalog).fields.get(type)!,
  });

  // The types of the catalog version the account is on (one opened before a type was added does
  // not know it), or, without an account, the latest's: what accounts opened now may record.
  router.get('/catalog/events', async (req, res) => {
    const { account } = eventTypesQuery.parse(req.query);
    let catalog: Catalog;
    if (account === undefined) catalog = await context.catalogs.latestCatalog();
    else {
      assertReaches(res, account);
      const version = await readCatalogVersionOf(context.db, account);
      if (version === undefined) throw new DomainFailure(notFound('account', account));
      catalog = (await context.catalogs.get(version)).catalog;
    }
    res.json({ eventTypes: eventSchemaFor(catalog).types.map(view(catalog)) });
  });

  return router;
}
