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

/**
 * The first string (key or value) in `value` that cannot be stored, with its path (zod's segments:
 * `['events', 3, 'metadata', 'note']`). Iterative: a deeply nested body must not exhaust the stack.
 */
export function findUnstorableText(value: unknown): { path: (string | number)[]; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const message = unstorable(current);
      if (message) return { path, message };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], path: [...path, i] });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, inner] of Object.entries(current)) {
        const message = unstorable(key);
        if (message) return { path: [...path, key], message: `field names ${message}` };
        stack.push({ value: inner, path: [...path, key] });
      }
    }
  }
  return undefined;
}
