// The one place where failures become HTTP responses. Every error body has the same shape:
// { error: { code, message, field?, ...details } }.
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DOMAIN_ERROR_CODES, DomainFailure, type DomainError } from '../domain/errors';
import { REFUSAL_CODES, type RefusalReason, refusalCode } from '../domain/refusals';
import { fromZod } from '../domain/fieldIssue';

const STATUS: Record<Exclude<DomainError['code'], 'refused'>, number> = {
  validation_failed: 422,
  not_found: 404,
  already_exists: 409,
  idempotency_conflict: 409,
  feature_not_in_plan: 422,
  allowance_exhausted: 422,
  unpriced_event: 422,
  account_not_permitted: 403,
  insufficient_scope: 403,
  plan_limits_exceeded: 422,
};

// Each reason mapped on its own, so that a new one is a decision here rather than a default.
const REFUSAL_STATUS: Record<RefusalReason, number> = {
  unknown_plan: 422,
  plan_not_available: 422,
  subscription_ended: 422,
  subscription_ending: 422,
  postpaid_account: 422,
  insufficient_balance: 422,
  spend_limit_reached: 422,
  spend_limit_not_applicable: 422,
  invoice_paid: 422,
  event_voided: 409,
  invoice_void: 422,
  invoice_draft: 422,
  invoice_held: 422,
  einvoice_incomplete: 422,
  topup_request_paid: 422,
  topup_unpriced: 422,
  delivery_pending: 422,
  reservation_settled: 422,
  reservation_released: 422,
  reservation_expired: 422,
  catalog_rule: 422,
  estimate_unrated: 422,
};

/** Codes the HTTP layer answers on its own, beside the domain's: credentials, rate, the request's form, the server's state. */
export const HTTP_ERROR_CODES = [
  'unauthorized',
  'link_expired',
  'rate_limited',
  'malformed_json',
  'payload_too_large',
  'bad_request',
  'internal_error',
  'shutting_down',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/**
 * Every code an error body can carry, for the API's document: the domain's (a refusal under its
 * reported code), the catalog's refusal rules' own, and the HTTP layer's.
 */
export function errorCodes(catalogRuleCodes: readonly string[]): string[] {
  const domain = DOMAIN_ERROR_CODES.filter((code) => code !== 'refused');
  return [...new Set([...domain, ...REFUSAL_CODES, ...catalogRuleCodes, ...HTTP_ERROR_CODES])];
}

/** The JSON body of a domain error; a refusal carries its reported code and message, and the field to act on where it names one. */
export function errorBody(error: DomainError) {
  if (error.code === 'refused') return { error: { code: refusalCode(error), message: error.message, ...('field' in error ? { field: error.field } : {}) } };
  return { error: error };
}

/** The body of an error answered outside the domain; `not_found` where no route, or no id like this, exists. */
export function plainErrorBody(code: HttpErrorCode | 'not_found', message: string) {
  return { error: { code, message } };
}

export function sendDomainError(res: Response, error: DomainError): void {
  res.status(error.code === 'refused' ? REFUSAL_STATUS[error.reason] : STATUS[error.code]).json(errorBody(error));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (error instanceof DomainFailure) return sendDomainError(res, error.error);
    if (error instanceof z.ZodError) return sendDomainError(res, fromZod(error));
    const status = (error as { status?: number }).status;
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json(plainErrorBody('malformed_json', 'The request body is not valid JSON.'));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(plainErrorBody('payload_too_large', 'The request body is larger than the server accepts.'));
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).json(plainErrorBody('bad_request', (error as Error).message));
      return;
    }
    log.error({ err: error }, 'request failed');
    res.status(500).json(plainErrorBody('internal_error', 'The server failed; nothing was changed by this request.'));
  };
}
