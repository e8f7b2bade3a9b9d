// API key rows: created, listed, revoked, touched when used. Every change NOTIFYs the processes,
// whose key rings reload at once.
import type { ApiKey, Scope } from '../domain/access/ApiKey';
import type { Queryable } from './Database';
import { Writes } from './Writes';

export const API_KEY_CHANGES = 'creditmeter_api_keys_changed';

export interface StoredApiKey extends ApiKey {
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface Row {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: Scope[];
  accounts: string[] | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  [column: string]: unknown;
}

const COLUMNS = 'id, name, prefix, key_hash, scopes, accounts, created_at, last_used_at, revoked_at';

const toKey = (row: Row): StoredApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  accounts: row.accounts,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** The keys in use, by the hash of the key. */
export async function readActiveKeys(db: Queryable): Promise<Map<string, ApiKey>> {
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE revoked_at IS NULL`);
  return new Map(rows.map((row) => [row.key_hash, toKey(row)]));
}

export async function listKeys(db: Queryable): Promise<StoredApiKey[]> {
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`)).map(toKey);
}

export async function insertKey(db: Queryable, key: ApiKey, keyHash: string): Promise<void> {
  await new Writes()
    .add(
      (p) => `INSERT INTO api_keys (id, name, prefix, key_hash, scopes, accounts, created_at)
       VALUES (${p(key.id)}, ${p(key.name)}, ${p(key.prefix)}, ${p(keyHash)}, ${p(key.scopes)}::text[], ${p(key.accounts)}::text[], ${p(key.createdAt.toISOString())})`,
    )
    .notify(API_KEY_CHANGES, ['created'])
    .run(db);
}

/** Revokes the key; the revoked one, or undefined when no key has that id. */
export async function revokeKey(db: Queryable, id: string, at: Date): Promise<StoredApiKey | undefined> {
  const [row] = await db.query<Row>(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`, [id, at.toISOString()]);
  if (row) await new Writes().notify(API_KEY_CHANGES, ['revoked']).run(db);
  return row ? toKey(row) : undefined;
}

export async function touchKeys(db: Queryable, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length > 0) await db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = ANY($1::text[])', [ids, at.toISOString()]);
}
