// A catalog in the form it is published and stored as a version: its JSON as given (the file's
// content, its logo read into a data URL), the digest that tells two publications apart, and the
// parse of a published JSON into the catalog the server computes with.
import { createHash } from 'node:crypto';
import { type Catalog, catalogSchema } from '../domain/catalog/Catalog';
import { formatPath } from '../domain/fieldIssue';

export interface PublishedCatalog {
  /** The catalog's JSON as published: GET /v1/catalog answers it, POST /v1/catalog/versions accepts it. */
  json: string;
  /** SHA-256 of the JSON with its keys sorted: a file that only reorders keys changes nothing. */
  digest: string;
  /** Where it came from: the file a server started with. */
  source: string;
}

// What each catalog read from a file was published as (the parsed catalog has its defaults filled
// in and its amounts as decimals, so its own JSON is not what was given).
const published = new WeakMap<Catalog, PublishedCatalog>();

export function rememberPublished(catalog: Catalog, raw: unknown, source: string): void {
  const json = JSON.stringify(raw);
  published.set(catalog, { json, digest: catalogDigest(raw), source });
}

/** What a catalog read by loadCatalog or parseCatalog was published as; undefined for one built in code. */
export function publishedFormOf(catalog: Catalog): PublishedCatalog | undefined {
  return published.get(catalog);
}

export function catalogDigest(raw: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedKeys(raw)))
    .digest('hex');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

export type CatalogIssue = { path: string; message: string };

/** A published JSON value checked against the catalog language: the catalog, or every issue with its path. */
export function parsePublished(raw: unknown): { catalog: Catalog } | { issues: CatalogIssue[] } {
  const result = catalogSchema.safeParse(raw);
  if (!result.success) return { issues: result.error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message })) };
  return { catalog: result.data };
}
