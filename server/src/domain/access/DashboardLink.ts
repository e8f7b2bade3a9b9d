// Signed dashboard links: a token that lets its holder read one account's dashboard until it
// expires, and nothing else. Stateless, so any server process sharing the secret can check it.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const PREFIX = 'cmd1';
/** Longest a link may live: a quarter, so a leaked link does not stay open for good. */
export const MAX_LINK_HOURS = 24 * 90;
export const DEFAULT_LINK_HOURS = 24 * 7;

export interface DashboardGrant {
  account: string;
  expiresAt: Date;
}

export type LinkCheck = { ok: true; grant: DashboardGrant } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/**
 * The link secret when none is configured: derived from the API key, so rotating the key also
 * revokes every link made with it.
 */
export function linkSecretFromApiKey(apiKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', apiKey, '', 'creditmeter dashboard links', 32));
}

function signature(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest();
}

export function signDashboardLink(grant: DashboardGrant, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify({ a: grant.account, e: Math.floor(grant.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${PREFIX}.${payload}.${signature(secret, payload).toString('base64url')}`;
}

/**
 * Base64url as signDashboardLink writes it and nothing else: Node's decoder skips characters outside
 * the alphabet and ignores spare bits, so `!`, `=` or another last character would still verify.
 */
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const isCanonical = (text: string) => Buffer.from(text, 'base64url').toString('base64url') === text;

export function checkDashboardLink(token: string, secret: Buffer, now: Date): LinkCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, reason: 'malformed' };
  const [, payload, signed] = parts as [string, string, string];
  if (!BASE64URL.test(payload) || !BASE64URL.test(signed)) return { ok: false, reason: 'malformed' };
  const expected = signature(secret, payload);
  const given = Buffer.from(signed, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (!isCanonical(payload) || !isCanonical(signed)) return { ok: false, reason: 'malformed' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { a, e } = (claims ?? {}) as { a?: unknown; e?: unknown };
  if (typeof a !== 'string' || typeof e !== 'number' || !Number.isSafeInteger(e)) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(e * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, grant: { account: a, expiresAt } };
}
