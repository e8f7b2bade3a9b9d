// The one check every request's text passes before a route sees it (see domain/storableText).
import type { RequestHandler } from 'express';
import { validationFailed } from '../domain/errors';
import { findUnstorableText, unstorable } from '../domain/storableText';
import { formatPath } from '../domain/fieldIssue';
import { plainErrorBody, sendDomainError } from './errorResponse';

/**
 * Refuses a request whose path, query or body holds text the store cannot keep: 404 for a path
 * (no id with such a character exists), 422 naming the field for the query or the body.
 * `itemsCheckedByRoute` names the paths whose body is a list checked item by item by the route
 * itself (a batch of usage events: one bad event is rejected alone, the others are recorded).
 */
export function refuseUnstorableText(options: { itemsCheckedByRoute: readonly string[] }): RequestHandler {
  const perItem = new Set(options.itemsCheckedByRoute);
  return (req, res, next) => {
    // req.path is still percent-encoded; a segment that does not decode is Express's own 400 later.
    const path = safeDecode(req.path);
    if (path !== undefined && unstorable(path)) {
      res.status(404).json(plainErrorBody('not_found', 'No resource has an id with a NUL character or ill-formed Unicode.'));
      return;
    }
    const found = findUnstorableText(req.query) ?? (perItem.has(req.path) ? undefined : findUnstorableText(req.body));
    if (found) return sendDomainError(res, validationFailed(formatPath(found.path) || '(body)', found.message));
    next();
  };
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
