// Catalog versions: the latest catalog in the form it was published, the versions published,
// publishing a new one (an admin key; audited), and moving accounts to a version.
import { Router } from 'express';
import { DomainFailure, notFound } from '../domain/errors';
import type { CatalogVersionInfo } from '../store/catalogVersions';
import { listCatalogVersions } from '../store/catalogVersions';
import type { Context } from '../usecases/Context';
import { migrateToCatalogVersion } from '../usecases/migrateCatalogVersion';
import { publishCatalog } from '../usecases/publishCatalog';
import { fromZod } from '../domain/fieldIssue';
import { keyOf } from './scopes';
import { catalogMigrationBody, catalogVersionBody, catalogVersionParam } from './schemas';

function versionView(version: CatalogVersionInfo) {
  return { version: version.version, publishedAt: version.publishedAt.toISOString(), digest: version.digest, by: version.publishedBy };
}

function versionOf(param: string): number {
  const parsed = catalogVersionParam.safeParse(param);
  if (!parsed.success) throw new DomainFailure(fromZod(parsed.error, 'version'));
  return parsed.data;
}

export function catalogRoutes(context: Context): Router {
  const router = Router();

  // The latest version: what new accounts subscribe on, in the JSON POST /v1/catalog/versions accepts.
  router.get('/catalog', async (_req, res) => {
    const latest = await context.catalogs.latest();
    res.json({ version: latest.version, catalog: JSON.parse(latest.json) });
  });

  router.get('/catalog/versions', async (_req, res) => {
    res.json({ versions: (await listCatalogVersions(context.db)).map(versionView) });
  });

  router.get('/catalog/versions/:version', async (req, res) => {
    const version = versionOf(req.params.version);
    const found = await context.catalogs.find(version);
    if (!found) throw new DomainFailure(notFound('catalog_version', String(version)));
    res.json({ ...versionView(found), catalog: JSON.parse(found.json) });
  });

  // Checked whole against the catalog language first: an invalid catalog is refused naming its path, and nothing is stored.
  router.post('/catalog/versions', async (req, res) => {
    catalogVersionBody.parse(req.body);
    // What the audit row written with the new version says.
    res.status(201);
    const { created, version } = await publishCatalog(context, { raw: (req.body as { catalog: unknown }).catalog, keyId: keyOf(res).id });
    res.status(created ? 201 : 200).json({ ...versionView(version), created });
  });

  router.post('/catalog/versions/:version/migrate', async (req, res) => {
    const version = versionOf(req.params.version);
    res.json(await migrateToCatalogVersion(context, { version, ...catalogMigrationBody.parse(req.body) }));
  });

  return router;
}
