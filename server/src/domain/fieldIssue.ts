// A zod failure as the validation error that names the field to fix (`data.duration_seconds`):
// the one wording for input refused by the HTTP layer and by the recorder alike.
import type { z } from 'zod';
import type { DomainError } from './errors';

/** A path as a reader writes it: `services[3].price.amount`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/** The first zod issue as a validation error naming the field under `prefix`. */
export function fromZod(error: z.ZodError, prefix = ''): DomainError {
  const issue = error.issues[0]!;
  const field = [prefix, formatPath(issue.path)].filter(Boolean).join('.') || '(body)';
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
  return { code: 'validation_failed', field: issue.code === 'unrecognized_keys' ? `${field === '(body)' ? '' : `${field}.`}${issue.keys[0]}` : field, message };
}
