// The one place where failures become HTTP responses. Every error body has the same shape:
// { error: { code, message, field?, ...details } }.
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DomainFailure, type DomainError } from '../domain/errors';
import { formatPath } from '../catalog/loadCatalog';

const STATUS: Record<DomainError['code'], number> = {
  validation_failed: 422,
  not_found: 404,
  already_exists: 409,
  idempotency_conflict: 409,
  feature_not_in_plan: 422,
  allowance_exhausted: 422,
  unpriced_event: 422,
  refused: 422,
  account_not_permitted: 403,
  insufficient_scope: 403,
  plan_limits_exceeded: 422,
};

/** The JSON body of a domain error; a catalog refusal reports its own reason as the code. */
export function errorBody(error: DomainError) {
  if (error.code === 'refused') return { error: { code: error.reason, message: error.message } };
  return { error: error };
}

export function sendDomainError(res: Response, error: DomainError): void {
  res.status(STATUS[error.code]).json(errorBody(error));
}

/** The first zod issue as a validation error naming the field (`data.duration_seconds`). */
export function fromZod(error: z.ZodError, prefix = ''): DomainError {
  const issue = error.issues[0]!;
  const field = [prefix, formatPath(issue.path)].filter(Boolean).join('.') || '(body)';
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
  return { code: 'validation_failed', field: issue.code === 'unrecognized_keys' ? `${field === '(body)' ? '' : `${field}.`}${issue.keys[0]}` : field, message };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (error instanceof DomainFailure) return sendDomainError(res, error.error);
    if (error instanceof z.ZodError) return sendDomainError(res, fromZod(error));
    const status = (error as { status?: number }).status;
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'malformed_json', message: 'The request body is not valid JSON.' } });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'The request body is larger than the server accepts.' } });
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: (error as Error).message } });
      return;
    }
    log.error({ err: error }, 'request failed');
    res.status(500).json({ error: { code: 'internal_error', message: 'The server failed; nothing was changed by this request.' } });
  };
}
