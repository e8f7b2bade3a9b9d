// What every use case is given: the store, the catalog versions, the clock and the id minter. Time and ids
// are injected so that tests control them and the domain never reads a clock.
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Catalog } from '../domain/catalog/Catalog';
import type { NewId } from '../domain/ledger/LedgerEntry';
import type { Database } from '../store/Database';
import type { AccountSnapshots } from './AccountSnapshots';
import type { CatalogVersions } from './CatalogVersions';

/** What helpers working for one account are given: the context's parts they use, and the account's catalog. */
export type WithCatalog<K extends keyof Context = never> = Pick<Context, K> & { catalog: Catalog };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Context {
  db: Database;
  /** The catalog versions: an account's own (`forAccount`) wherever an account is concerned, the latest for the catalog as a whole. */
  catalogs: CatalogVersions;
  clock: Clock;
  newId: NewId;
  /** Accounts as last read; writers tell it what they changed. */
  snapshots: AccountSnapshots;
}

/** Prefixed, time-sortable ids: `led_01J...`, `grt_01J...`. */
export function ulidIds(): NewId {
  const next = monotonicFactory(bufferedRandom());
  return (prefix) => `${prefix}_${next()}`;
}

/**
 * Uniform values in [0, 1) from the system's secure source, drawn 4 KiB at a time: ulid asks for one
 * byte per character, and a call into the source per byte showed in profiles of batch ingestion.
 */
function bufferedRandom(): () => number {
  const bytes = new Uint8Array(4096);
  let used = bytes.length;
  return () => {
    if (used === bytes.length) {
      randomFillSync(bytes);
      used = 0;
    }
    return bytes[used++]! / 256;
  };
}
