// Opens the audit trail of each request that may change something, once its key is known and its
// rate allowed (a request refused for its rate writes nothing), and writes the request's row after
// the answer when no transaction wrote it with a change.
import type { Request, RequestHandler, Response } from 'express';
import { accountInPath } from '../domain/access/ApiKey';
import { MAX_AUDITED_ID, mayChange } from '../domain/audit/AuditEntry';
import type { NewId } from '../domain/ledger/LedgerEntry';
import type { AuditAppender } from '../audit/AuditAppender';
import { type RequestFacts, RequestTrail, runInTrail } from '../audit/RequestTrail';
import type { Clock } from '../usecases/Context';
import { keyOf } from './scopes';

/** nginx's word for a request whose client left before it was answered. */
const CLIENT_LEFT = 499;

export function auditTrail(options: { appender: AuditAppender; newId: NewId; clock: Clock }): RequestHandler {
  return (req, res, next) => {
    const base = req.baseUrl;
    const path = `${base}${req.path}`;
    if (!mayChange(req.method, path)) return next();
    const requestId = String(res.getHeader('X-Request-Id') ?? '');
    const trail = new RequestTrail({ keyId: keyOf(res).id, requestId, method: req.method, facts: () => factsOf({ req, res, base, path }) });
    const answered = () => {
      const entry = trail.end(options.newId('aud'), options.clock.now(), res.headersSent ? res.statusCode : CLIENT_LEFT);
      if (entry) options.appender.append(entry);
    };
    res.once('finish', answered);
    res.once('close', answered);
    runInTrail(trail, next);
  };
}

/**
 * What the request names: its route, the account of its path or body, and the other ids of its path
 * and body. Read from the path and the matched route's pattern, not from req.params: an error
 * answered by the app's error handler finds the parameters of the route it left restored away.
 */
function factsOf({ req, res, base, path }: { req: Request; res: Response; base: string; path: string }): RequestFacts {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const pattern = req.route ? `${base}${String(req.route.path)}` : undefined;
  const accounts: unknown[] = [];
  const ids: unknown[] = [];
  const inPath = accountInPath(path);
  if (inPath !== undefined) accounts.push(inPath);
  if (pattern) for (const [name, value] of paramsOf(pattern, path)) if (!(name === 'id' && inPath !== undefined)) ids.push(value);
  if (path === '/v1/accounts') accounts.push(body['id']);
  if (path === '/v1/events') ids.push(body['id']);
  accounts.push(body['account']);
  if (path === '/v1/events/batch' && Array.isArray(body['events'])) {
    for (const event of body['events'] as unknown[]) {
      if (typeof event !== 'object' || event === null) continue;
      accounts.push((event as Record<string, unknown>)['account']);
      ids.push((event as Record<string, unknown>)['id']);
    }
  }
  return { route: pattern ?? path.slice(0, MAX_AUDITED_ID), status: res.statusCode, accounts, ids };
}

/** The values of a pattern's parameters (`/v1/webhooks/:id`) in a path, decoded. */
function paramsOf(pattern: string, path: string): Array<[string, string]> {
  const names = pattern.split('/');
  const values = path.split('/');
  if (names.length !== values.length) return [];
  return names.flatMap((name, i): Array<[string, string]> => (name.startsWith(':') ? [[name.slice(1), decoded(values[i]!)]] : []));
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
