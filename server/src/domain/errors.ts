// The closed set of failures a caller can act on. Each has a snake_case code; the HTTP layer
// maps them to status codes in one place (http/errorResponse.ts).
import type { Refusal } from './refusals';

export type Resource =
  | 'account'
  | 'event'
  | 'topup'
  | 'webhook'
  | 'delivery'
  | 'alert_rule'
  | 'reservation'
  | 'phone_number'
  | 'invoice'
  | 'api_key'
  | 'topup_request'
  | 'credit_note'
  | 'catalog_version';

export type DomainError =
  | { code: 'validation_failed'; field: string; message: string }
  | { code: 'not_found'; resource: Resource; id: string; message: string }
  | { code: 'already_exists'; resource: 'account' | 'phone_number'; id: string; message: string }
  | { code: 'feature_not_in_plan'; feature: string; plan: string; message: string }
  | { code: 'allowance_exhausted'; meter: string; included: string; message: string }
  | { code: 'unpriced_event'; type: string; message: string }
  // Understood and declined for the account's state; the reasons are closed (domain/refusals.ts).
  | Refusal
  // A plan change the account does not fit: each limit it exceeds and each feature in use it would lose.
  // `field` is `plan` for a plan change, or the limit's own name for counted resources set past it.
  | { code: 'plan_limits_exceeded'; field: string; limits: { limit: string; allowed: number; current: number }[]; features: string[]; message: string }
  // An idempotency key (an event id, a top-up reference) sent again with other content: nothing is
  // written, and `field` names the first thing that differs.
  | { code: 'idempotency_conflict'; field: string; message: string }
  // The caller's credentials read another account (a dashboard link asked for someone else's).
  | { code: 'account_not_permitted'; field: string; message: string }
  // The API key lacks the scope the request needs (ingest, read or admin).
  | { code: 'insufficient_scope'; scope: string; message: string };

// A Record, so that the compiler refuses a code left out of the list the API's document is made from.
const CODES: Record<DomainError['code'], true> = {
  validation_failed: true,
  not_found: true,
  already_exists: true,
  feature_not_in_plan: true,
  allowance_exhausted: true,
  unpriced_event: true,
  refused: true,
  plan_limits_exceeded: true,
  idempotency_conflict: true,
  account_not_permitted: true,
  insufficient_scope: true,
};
export const DOMAIN_ERROR_CODES = Object.keys(CODES) as DomainError['code'][];

export class DomainFailure extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
    this.name = 'DomainFailure';
  }
}

export function validationFailed(field: string, message: string): DomainError {
  return { code: 'validation_failed', field, message };
}

export function notFound(resource: Resource, id: string): DomainError {
  return { code: 'not_found', resource, id, message: `No ${resource} with id '${id}'.` };
}

/** The same idempotency key with other content: a client bug, never a second charge. */
export function idempotencyConflict({ what, field, first, again }: { what: string; field: string; first: unknown; again: unknown }): DomainError {
  return {
    code: 'idempotency_conflict',
    field,
    message: `${what} was first sent with ${field} ${JSON.stringify(first)}, now with ${JSON.stringify(again)}: send the same content again, or use a new key.`,
  };
}
