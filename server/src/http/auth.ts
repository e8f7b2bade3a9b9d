// Who may call: an API key (the bootstrap key or one made with POST /v1/api-keys, see ApiKeyRing)
// on every route but health and readiness; on the dashboard's routes also a signed link that reads
// one account.
import type { RequestHandler, Response } from 'express';
import { type ApiKey, hasScope } from '../domain/access/ApiKey';
import type { ApiKeyRing } from '../usecases/ApiKeyRing';
import { type HttpErrorCode, plainErrorBody, sendDomainError } from './errorResponse';
import { checkDashboardLink } from '../domain/access/DashboardLink';
import type { Clock } from '../usecases/Context';


/** The token of an `Authorization: Bearer …` header. */
export function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
}

/** A 401 that says how to authenticate. */
export function refuse(res: Response, code: Extract<HttpErrorCode, 'unauthorized' | 'link_expired'>, message: string): void {
  res.status(401).set('WWW-Authenticate', 'Bearer').json(plainErrorBody(code, message));
}

export function requireApiKey(keys: ApiKeyRing): RequestHandler {
  return (req, res, next) => {
    const secret = bearer(req.get('authorization'));
    const key = secret === undefined ? undefined : keys.find(secret);
    if (key) {
      res.locals['key'] = key;
      res.locals['caller'] = key.id;
      return next();
    }
    if (secret === undefined) {
      return refuse(res, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>": CREDITMETER_API_KEY, or one made with POST /v1/api-keys.');
    }
    // The key came, and is not one this server knows: a typo, another server's, or revoked.
    refuse(res, 'unauthorized', 'This API key is not known to the server: it is neither CREDITMETER_API_KEY nor a key made with POST /v1/api-keys, or it was revoked.');
  };
}

/** What a dashboard caller may read: what an API key reaches, or the one account its link names. */
export type DashboardAccess = { kind: 'key'; key: ApiKey } | { kind: 'link'; account: string; expiresAt: Date };

export function dashboardAccess(res: Response): DashboardAccess {
  return res.locals['access'] as DashboardAccess;
}

export function requireDashboardAccess(options: { keys: ApiKeyRing; linkSecret: Buffer; clock: Clock }): RequestHandler {
  return (req, res, next) => {
    const token = bearer(req.get('authorization'));
    if (token === undefined) return refuse(res, 'unauthorized', 'Send a dashboard link token or the API key as "Authorization: Bearer <token>".');
    const key = options.keys.find(token);
    if (key) {
      if (!hasScope(key, 'read')) {
        return sendDomainError(res, { code: 'insufficient_scope', scope: 'read', message: `The dashboard needs the read scope; this key (${key.name}) has ${key.scopes.join(', ')}.` });
      }
      res.locals['caller'] = key.id;
      res.locals['key'] = key;
      res.locals['access'] = { kind: 'key', key } satisfies DashboardAccess;
      return next();
    }
    const link = checkDashboardLink(token, options.linkSecret, options.clock.now());
    if (!link.ok) {
      return link.reason === 'expired'
        ? refuse(res, 'link_expired', 'This dashboard link has expired; ask for a new one.')
        : refuse(res, 'unauthorized', 'This is neither a valid dashboard link nor the API key.');
    }
    res.locals['caller'] = `link:${link.grant.account}`;
    res.locals['access'] = { kind: 'link', account: link.grant.account, expiresAt: link.grant.expiresAt } satisfies DashboardAccess;
    next();
  };
}
