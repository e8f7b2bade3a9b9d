// Creates, lists and revokes API keys. A new key is shown once, in the answer that creates it;
// only its hash is kept. Changes are in force in this process before they are answered, and in
// the others as soon as they hear of them.
import { randomBytes } from 'node:crypto';
import { type ApiKey, type Scope } from '../domain/access/ApiKey';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { insertKey, listKeys, revokeKey, type StoredApiKey } from '../store/apiKeys';
import { readAccount } from '../store/accounts';
import { type ApiKeyRing, keyHash } from './ApiKeyRing';
import type { Context } from './Context';
import { writeAsIs } from './AccountWrite';
import { madeByRequest } from '../audit/RequestTrail';

const KEY_PREFIX = 'cm_live_';
/** Enough of a key to recognise it in a list, far too little to guess the rest. */
const SHOWN_CHARACTERS = KEY_PREFIX.length + 4;

export interface NewApiKey {
  name: string;
  scopes: Scope[];
  accounts?: string[] | undefined;
}

export function apiKeyView(key: ApiKey & Partial<Pick<StoredApiKey, 'lastUsedAt' | 'revokedAt'>>) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    accounts: key.accounts,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(context: Context, ring: ApiKeyRing, input: NewApiKey) {
  const scopes = [...new Set(input.scopes)];
  if (input.accounts && scopes.includes('admin')) {
    throw new DomainFailure(validationFailed('accounts', 'an admin key reaches every account; limit ingest or read keys to accounts'));
  }
  const accounts = input.accounts ? [...new Set(input.accounts)] : null;
  for (const account of accounts ?? []) {
    if (!(await readAccount(context.db, account))) throw new DomainFailure(validationFailed('accounts', `no account with id '${account}'`));
  }
  const secret = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const key: ApiKey = { id: context.newId('key'), name: input.name, prefix: secret.slice(0, SHOWN_CHARACTERS), scopes, accounts, createdAt: context.clock.now() };
  madeByRequest(key.id);
  await writeAsIs(context, { accounts: [], run: async ({ tx }) => ({ answer: await insertKey(tx, key, keyHash(secret)) }) });
  await ring.reload();
  return { ...apiKeyView(key), key: secret };
}

export async function listApiKeys(context: Context) {
  return { apiKeys: (await listKeys(context.db)).map(apiKeyView) };
}

export async function revokeApiKey(context: Context, ring: ApiKeyRing, id: string) {
  const revoked = await writeAsIs(context, { accounts: [], run: async ({ tx, now }) => ({ answer: await revokeKey(tx, id, now) }) });
  if (!revoked) throw new DomainFailure(notFound('api_key', id));
  await ring.reload();
  return apiKeyView(revoked);
}
