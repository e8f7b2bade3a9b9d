// The catalog_versions table: publishing a version (numbered after the latest, under a lock so that
// two processes publishing at once cannot take one number or publish one catalog twice), and reading
// them. Versions are never updated or deleted (a trigger refuses it).
import type { Database, Queryable } from './Database';

/** An arbitrary constant naming creditmeter's publishing lock among PostgreSQL advisory locks. */
const PUBLISH_LOCK = 7_316_037;

export interface CatalogVersionRow {
  version: number;
  /** The catalog's JSON as published. */
  catalog: string;
  digest: string;
  publishedAt: Date;
  publishedBy: string;
}

export type CatalogVersionInfo = Omit<CatalogVersionRow, 'catalog'>;

/**
 * Publishes `catalog` as the version after the latest, unless the latest has the same digest: then
 * nothing is written and the latest is answered (`created` false). Runs inside the caller's
 * transaction, which holds the publishing lock until it commits.
 */
export async function publishCatalogVersion(
  tx: Queryable,
  input: { catalog: string; digest: string; at: Date; by: string },
): Promise<{ created: boolean; version: CatalogVersionInfo }> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
  const [latest] = await tx.query<InfoRow>(`SELECT ${INFO_COLUMNS} FROM catalog_versions ORDER BY version DESC LIMIT 1`);
  if (latest && latest.digest === input.digest) return { created: false, version: toInfo(latest) };
  const [row] = await tx.query<InfoRow>(
    `INSERT INTO catalog_versions (version, catalog, digest, published_at, published_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${INFO_COLUMNS}`,
    [(latest?.version ?? 0) + 1, input.catalog, input.digest, input.at.toISOString(), input.by],
  );
  return { created: true, version: toInfo(row!) };
}

/** Publishes in a transaction of its own: the catalog a server starts with, before any request. */
export function publishCatalogVersionAlone(db: Database, input: Parameters<typeof publishCatalogVersion>[1]): ReturnType<typeof publishCatalogVersion> {
  return db.transaction((tx) => publishCatalogVersion(tx, input));
}

/** The latest version's number; 0 before any is published. */
export async function readLatestCatalogVersion(db: Queryable): Promise<number> {
  const [row] = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM catalog_versions');
  return row?.version ?? 0;
}

export async function readCatalogVersion(db: Queryable, version: number): Promise<CatalogVersionRow | undefined> {
  const [row] = await db.query<InfoRow & { catalog: string }>(`SELECT ${INFO_COLUMNS}, catalog FROM catalog_versions WHERE version = $1`, [version]);
  return row ? { ...toInfo(row), catalog: row.catalog } : undefined;
}

/** Every version, oldest first. */
export async function listCatalogVersions(db: Queryable): Promise<CatalogVersionInfo[]> {
  return (await db.query<InfoRow>(`SELECT ${INFO_COLUMNS} FROM catalog_versions ORDER BY version`)).map(toInfo);
}

const INFO_COLUMNS = 'version, digest, published_at, published_by';

interface InfoRow {
  version: number;
  digest: string;
  published_at: Date;
  published_by: string;
  [column: string]: unknown;
}

function toInfo(row: InfoRow): CatalogVersionInfo {
  return { version: row.version, digest: row.digest, publishedAt: new Date(row.published_at), publishedBy: row.published_by };
}
