// The catalog versions this process computes with. Versions never change, so each is read and
// parsed once and kept by number (the most recently used few); which one is the latest is asked of
// the store where it matters (a new account, a plan change to the latest, GET /v1/catalog), so every
// process on one database agrees at once. An account carries its version's number with its row.
import type { Account } from '../domain/account/Account';
import type { Catalog } from '../domain/catalog/Catalog';
import { parsePublished } from '../catalog/publishedCatalog';
import type { Queryable } from '../store/Database';
import { type CatalogVersionInfo, readCatalogVersion, readLatestCatalogVersion } from '../store/catalogVersions';

export interface CatalogVersion extends CatalogVersionInfo {
  catalog: Catalog;
  /** The JSON as published. */
  json: string;
}

/** How many parsed versions a process keeps. */
const KEPT_VERSIONS = 16;

export class CatalogVersions {
  private readonly kept = new Map<number, Promise<CatalogVersion>>();

  constructor(
    private readonly db: Queryable,
    private readonly keep = KEPT_VERSIONS,
  ) {}

  /** The version numbered `version`; undefined when none is. */
  async find(version: number): Promise<CatalogVersion | undefined> {
    const kept = this.kept.get(version);
    if (kept) {
      // Most recently used last: the first one is the one to let go.
      this.kept.delete(version);
      this.kept.set(version, kept);
      return kept;
    }
    const row = await readCatalogVersion(this.db, version);
    if (!row) return undefined;
    const again = this.kept.get(version);
    if (again) return again;
    const parsed = parsePublished(JSON.parse(row.catalog));
    // A stored version was valid when it was published; the language only grows.
    if ('issues' in parsed) throw new Error(`catalog version ${version} no longer parses: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const loaded = Promise.resolve({ ...row, catalog: parsed.catalog, json: row.catalog });
    this.kept.set(version, loaded);
    if (this.kept.size > this.keep) this.kept.delete(this.kept.keys().next().value!);
    return loaded;
  }

  async get(version: number): Promise<CatalogVersion> {
    const found = await this.find(version);
    if (!found) throw new Error(`catalog version ${version} is not in the store`);
    return found;
  }

  /** The latest version, as the store says now. */
  async latest(): Promise<CatalogVersion> {
    return this.get(await readLatestCatalogVersion(this.db));
  }

  /** The latest version's catalog. */
  async latestCatalog(): Promise<Catalog> {
    return (await this.latest()).catalog;
  }

  /** The catalog the account is on: rated, billed and shown with. */
  async forAccount(account: Pick<Account, 'catalogVersion'>): Promise<Catalog> {
    return (await this.get(account.catalogVersion ?? 1)).catalog;
  }

  /** Each account's catalog by account id: one lookup per version among them, not per account. */
  async forAccounts(accounts: Iterable<Pick<Account, 'id' | 'catalogVersion'>>): Promise<Map<string, Catalog>> {
    const byVersion = new Map<number, Catalog>();
    const byAccount = new Map<string, Catalog>();
    for (const account of accounts) {
      const version = account.catalogVersion ?? 1;
      let catalog = byVersion.get(version);
      if (!catalog) byVersion.set(version, (catalog = await this.forAccount(account)));
      byAccount.set(account.id, catalog);
    }
    return byAccount;
  }
}
