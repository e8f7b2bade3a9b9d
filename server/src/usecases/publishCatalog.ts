// Publishing a catalog version: through the API (an admin key, audited with the request) or from the
// file a server starts with. A catalog the same as the latest version (same digest) publishes
// nothing and answers that version: a restart with an unchanged file, or a client retrying, makes no
// duplicate. The same as an older version is a new version: publishing it again makes it the latest.
import type { Logger } from 'pino';
import type { Catalog } from '../domain/catalog/Catalog';
import { catalogDigest, publishedFormOf } from '../catalog/publishedCatalog';
import { changesNothing, madeByRequest } from '../audit/RequestTrail';
import type { Database } from '../store/Database';
import { type CatalogVersionInfo, publishCatalogVersion, publishCatalogVersionAlone } from '../store/catalogVersions';
import { writeAsIs } from './AccountWrite';
import type { Clock, Context } from './Context';

/** Publishes the catalog JSON `raw` (already checked against the catalog language) on behalf of the key `keyId`. */
export async function publishCatalog(
  context: Context,
  { raw, keyId }: { raw: unknown; keyId: string },
): Promise<{ created: boolean; version: CatalogVersionInfo }> {
  // The request's audit row goes with the version it published; a publication that stores nothing is recorded after the answer.
  return writeAsIs(context, {
    accounts: [],
    run: async ({ tx, now }) => {
      const published = await publishCatalogVersion(tx, { catalog: JSON.stringify(raw), digest: catalogDigest(raw), at: now, by: `key:${keyId}` });
      if (published.created) madeByRequest(`catalog_version:${published.version.version}`);
      else changesNothing();
      return { answer: published };
    },
  });
}

/**
 * Publishes the catalog the server starts with, when it differs from the latest version: version 1
 * on a first start, a new version after the file changed. Two processes starting at once publish it
 * once (the publishing lock, then the digest).
 */
export async function publishStartupCatalog(input: { db: Database; clock: Clock; log: Logger; catalog: Catalog }): Promise<CatalogVersionInfo> {
  const form = publishedFormOf(input.catalog);
  if (!form) throw new Error('startServer needs a catalog read by loadCatalog or parseCatalog: its published JSON is what versions keep');
  const { created, version } = await publishCatalogVersionAlone(input.db, {
    catalog: form.json,
    digest: form.digest,
    at: input.clock.now(),
    by: `file:${form.source}`,
  });
  if (created)
    input.log.info({ version: version.version, digest: version.digest, source: form.source }, `catalog ${form.source} published as version ${version.version}`);
  return version;
}
