// Signed dashboard links: a token that lets its holder read one account's dashboard until it
// expires, and nothing else; and tickets that open one of its invoices' pages. Stateless, so any
// server process sharing the secret can check them.
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

function signature(secret: Buffer, prefix: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${prefix}.${payload}`).digest();
}

/** Claims signed under a prefix: the prefix is signed too, so a token of one kind never passes as another. */
function sign(prefix: string, claims: Record<string, string | number>, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${prefix}.${payload}.${signature(secret, prefix, payload).toString('base64url')}`;
}

/**
 * Base64url as sign writes it and nothing else: Node's decoder skips characters outside
 * the alphabet and ignores spare bits, so `!`, `=` or another last character would still verify.
 */
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const isCanonical = (text: string) => Buffer.from(text, 'base64url').toString('base64url') === text;

type Verified = { ok: true; claims: Record<string, unknown>; expiresAt: Date } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

function verify({ prefix, token, secret, now }: { prefix: string; token: string; secret: Buffer; now: Date }): Verified {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== prefix) return { ok: false, reason: 'malformed' };
  const [, payload, signed] = parts as [string, string, string];
  if (!BASE64URL.test(payload) || !BASE64URL.test(signed)) return { ok: false, reason: 'malformed' };
  const expected = signature(secret, prefix, payload);
  const given = Buffer.from(signed, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (!isCanonical(payload) || !isCanonical(signed)) return { ok: false, reason: 'malformed' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'malformed' };
  const { e } = claims as { e?: unknown };
  if (typeof e !== 'number' || !Number.isSafeInteger(e)) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(e * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as Record<string, unknown>, expiresAt };
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function signDashboardLink(grant: DashboardGrant, secret: Buffer): string {
  return sign(PREFIX, { a: grant.account, e: seconds(grant.expiresAt) }, secret);
}

export function checkDashboardLink(token: string, secret: Buffer, now: Date): LinkCheck {
  const verified = verify({ prefix: PREFIX, token, secret, now });
  if (!verified.ok) return verified;
  const { a } = verified.claims;
  if (typeof a !== 'string') return { ok: false, reason: 'malformed' };
  return { ok: true, grant: { account: a, expiresAt: verified.expiresAt } };
}

/**
 * A ticket that opens one invoice's page of one account, minted for the dashboard that shows it: a
 * browser opens a page in a new tab without the dashboard's Authorization header, so the ticket
 * rides in the address (its query string, which the server does not log), lives minutes, and
 * opens nothing else: not the dashboard, not another invoice.
 */
const INVOICE_PREFIX = 'cmi1';
/** Long enough for a customer to click the link after the page was drawn; the page redraws it on every change. */
export const INVOICE_TICKET_MINUTES = 30;

export interface InvoiceTicket {
  account: string;
  invoice: string;
  expiresAt: Date;
}

export function signInvoiceTicket(ticket: InvoiceTicket, secret: Buffer): string {
  return sign(INVOICE_PREFIX, { a: ticket.account, i: ticket.invoice, e: seconds(ticket.expiresAt) }, secret);
}

export function checkInvoiceTicket(token: string, secret: Buffer, now: Date): { ok: true; ticket: InvoiceTicket } | { ok: false; reason: 'malformed' | 'forged' | 'expired' } {
  const verified = verify({ prefix: INVOICE_PREFIX, token, secret, now });
  if (!verified.ok) return verified;
  const { a, i } = verified.claims;
  if (typeof a !== 'string' || typeof i !== 'string') return { ok: false, reason: 'malformed' };
  return { ok: true, ticket: { account: a, invoice: i, expiresAt: verified.expiresAt } };
}
