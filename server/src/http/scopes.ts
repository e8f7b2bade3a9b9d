// What an API key may reach, checked before any route runs: the scope the request needs, and for
// a key limited to accounts, the account the request is about (in its path, its body or its
// query). An account it does not reach answers 404, as one that does not exist. Routes that read
// by another id (an invoice) or list accounts check the key themselves (keyOf).
import type { RequestHandler, Response } from 'express';
import { type ApiKey, accountInPath, BOOTSTRAP_KEY, beyondAccounts, hasScope, reaches, requiredScope } from '../domain/access/ApiKey';
import { DomainFailure, notFound, validationFailed } from '../domain/errors';
import { sendDomainError } from './errorResponse';

/** The key that authenticated the request. */
export function keyOf(res: Response): ApiKey {
  return (res.locals['key'] as ApiKey | undefined) ?? BOOTSTRAP_KEY;
}

/** Refuses, as not found, an account the request's key does not reach. */
export function assertReaches(res: Response, account: string): void {
  if (!reaches(keyOf(res), account)) throw new DomainFailure(notFound('account', account));
}

/** Reads that name their account in the query: `account` is required there from a limited key. */
const ACCOUNT_IN_QUERY = /^\/v1\/(reports\/[^/]+|events(\/[^/]+(\/explanation)?)?)$/;

export function requireScope(): RequestHandler {
  return (req, res, next) => {
    const key = keyOf(res);
    const path = `${req.baseUrl}${req.path}`;
    const scope = requiredScope(req.method, path);
    if (!hasScope(key, scope)) {
      return sendDomainError(res, {
        code: 'insufficient_scope',
        scope: scope!,
        message: `${req.method} ${path} needs the ${scope} scope; this key (${key.name}) has ${key.scopes.join(', ')}.`,
      });
    }
    if (key.accounts === null) return next();
    if (beyondAccounts(path)) {
      return sendDomainError(res, { code: 'account_not_permitted', field: 'path', message: `A key limited to accounts cannot reach ${path}: it speaks of every account.` });
    }
    const inPath = accountInPath(path);
    if (inPath !== undefined && !reaches(key, inPath)) return sendDomainError(res, notFound('account', inPath));
    if (req.method === 'POST' && path === '/v1/events') {
      const account = (req.body as { account?: unknown } | undefined)?.account;
      if (typeof account === 'string' && !reaches(key, account)) return sendDomainError(res, notFound('account', account));
    }
    if (req.method === 'GET' && ACCOUNT_IN_QUERY.test(path)) {
      const account = req.query['account'];
      if (typeof account !== 'string' || account === '') return sendDomainError(res, validationFailed('account', 'is required with a key limited to accounts'));
      if (!reaches(key, account)) return sendDomainError(res, notFound('account', account));
    }
    next();
  };
}
