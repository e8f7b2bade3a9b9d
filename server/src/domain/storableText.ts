// Text the store can keep. PostgreSQL stores no NUL character (in text or jsonb) and no unpaired
// UTF-16 surrogate (jsonb refuses it; text would store it altered): such text is refused at the
// edge, naming the field, instead of failing the transaction it would have joined.

/** A surrogate code unit that is not half of a pair (a `u` regex reads pairs as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why text cannot be stored, or undefined when it can. */
export function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (no unpaired surrogate)';
  return undefined;
}

/** Deepest nesting accepted: no body of this API goes past a handful of levels. */
export const MAX_NESTING = 32;

export interface Unstorable {
  path: (string | number)[];
  message: string;
}

/**
 * The first string (key or value) in `value` that cannot be stored, or the first place it nests
 * deeper than MAX_NESTING, with its path in zod's segments (`['events', 3, 'metadata', 'note']`).
 * Linear in the size of `value`: one path array, grown and shrunk in place, copied only for the answer.
 */
export function findUnstorableText(value: unknown): Unstorable | undefined {
  return walk(value, []);
}

function walk(value: unknown, path: (string | number)[]): Unstorable | undefined {
  if (typeof value === 'string') {
    const message = unstorable(value);
    return message ? { path: [...path], message } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (path.length >= MAX_NESTING) return { path: [...path], message: `nests deeper than ${MAX_NESTING} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      path.push(i);
      const found = walk(value[i], path);
      path.pop();
      if (found) return found;
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    path.push(key);
    const message = unstorable(key);
    const found = message ? { path: [...path], message: `field names ${message}` } : walk((value as Record<string, unknown>)[key], path);
    path.pop();
    if (found) return found;
  }
  return undefined;
}
