// Who may call: the operator's API key on every route but health; on the dashboard's routes also a
// signed link that reads one account. Keys compare in constant time.
import { hash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { checkDashboardLink } from '../domain/access/DashboardLink';
import type { Clock } from '../usecases/Context';

const digest = (value: string) => hash('sha256', value, 'buffer');

/** How request logs name a caller with the operator's key (CREDITMETER_API_KEY or the generated one). */
const ADMIN_CALLER = 'admin';

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
}

function refuse(res: Response, code: string, message: string): void {
  res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: { code, message } });
}

export function requireApiKey(apiKey: string): RequestHandler {
  const expected = digest(apiKey);
  return (req, res, next) => {
    const key = bearer(req.get('authorization'));
    if (key !== undefined && timingSafeEqual(digest(key), expected)) {
      res.locals['caller'] = ADMIN_CALLER;
      return next();
    }
    refuse(res, 'unauthorized', 'Send the API key as "Authorization: Bearer <key>".');
  };
}

/** What a dashboard caller may read: every account (the operator) or the one its link names. */
export type DashboardAccess = { kind: 'operator' } | { kind: 'link'; account: string; expiresAt: Date };

export function dashboardAccess(res: Response): DashboardAccess {
  return res.locals['access'] as DashboardAccess;
}

export function requireDashboardAccess(options: { apiKey: string; linkSecret: Buffer; clock: Clock }): RequestHandler {
  const expected = digest(options.apiKey);
  return (req, res, next) => {
    const token = bearer(req.get('authorization'));
    if (token === undefined) return refuse(res, 'unauthorized', 'Send a dashboard link token or the API key as "Authorization: Bearer <token>".');
    if (timingSafeEqual(digest(token), expected)) {
      res.locals['caller'] = ADMIN_CALLER;
      res.locals['access'] = { kind: 'operator' } satisfies DashboardAccess;
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
