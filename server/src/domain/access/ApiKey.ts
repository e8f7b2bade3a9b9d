// API keys and what each may do. A key has scopes: `ingest` (usage events, authorize,
// reservations), `read` (every read, reports, invoices, dashboard links), `admin` (everything,
// keys included); and may be limited to some accounts, whose data alone it then reaches (others
// answer 404, as if they did not exist). Which scope a request needs is decided from its method
// and path alone, before any route runs.

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters, to recognise it by: `cm_live_AbCd`. */
  prefix: string;
  scopes: Scope[];
  /** The accounts it reaches; null for every account. */
  accounts: string[] | null;
  createdAt: Date;
}

/** The key the server starts with (CREDITMETER_API_KEY, or the generated one): every scope, every account. */
export const BOOTSTRAP_KEY: ApiKey = { id: 'admin', name: 'Bootstrap key (CREDITMETER_API_KEY)', prefix: '', scopes: ['admin'], accounts: null, createdAt: new Date(0) };

/** Every key shows itself: the credential test of an n8n node works with any scope. */
export const OWN_KEY_PATH = '/v1/api-keys/current';

/** Usage from the assistants: what an ingest key may call besides its own key. */
const INGEST = [
  /^POST \/v1\/events$/,
  /^POST \/v1\/events\/batch$/,
  /^POST \/v1\/accounts\/[^/]+\/authorize$/,
  /^(GET|POST) \/v1\/accounts\/[^/]+\/reservations$/,
  /^(GET|DELETE) \/v1\/accounts\/[^/]+\/reservations\/[^/]+$/,
  /^POST \/v1\/accounts\/[^/]+\/reservations\/[^/]+\/extend$/,
];

/** The scope a request needs: `null` for what any key may call. */
export function requiredScope(method: string, path: string): Scope | null {
  const request = `${method.toUpperCase()} ${path}`;
  if (request === `GET ${OWN_KEY_PATH}`) return null;
  if (INGEST.some((pattern) => pattern.test(request))) return 'ingest';
  if (path.startsWith('/v1/api-keys')) return 'admin';
  if (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD') return 'read';
  if (/^POST \/v1\/accounts\/[^/]+\/dashboard-links$/.test(request)) return 'read';
  return 'admin';
}

/** Whether the key has `scope`: admin has them all. */
export function hasScope(key: Pick<ApiKey, 'scopes'>, scope: Scope | null): boolean {
  return scope === null || key.scopes.includes('admin') || key.scopes.includes(scope);
}

/** Whether the key reaches `account`. */
export function reaches(key: Pick<ApiKey, 'accounts'>, account: string): boolean {
  return key.accounts === null || key.accounts.includes(account);
}

/** The account a path is about (`/v1/accounts/:id/…`), decoded; undefined for other paths. */
export function accountInPath(path: string): string | undefined {
  const match = /^\/v1\/accounts\/([^/]+)/.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}

/**
 * For a key limited to accounts, paths that are about no account in particular and that it may not
 * read at all: webhooks and alert rules speak of every account.
 */
export function beyondAccounts(path: string): boolean {
  return /^\/v1\/(webhooks|alert-rules)(\/|$)/.test(path);
}
