// What the audit log keeps of a request that could change something: the key that sent it, its
// method and route, the accounts and other ids it named or made, how it was answered, and whether
// the row was written in the transaction of the change (so that the two stand or fall together).
import { unstorable } from '../storableText';

export interface AuditEntry {
  id: string;
  at: Date;
  keyId: string;
  method: string;
  /** The route's pattern (`/v1/accounts/:id/topups`), as the metrics and request logs name it. */
  route: string;
  accounts: string[];
  /** Other ids the request named (an event, a reservation, a webhook endpoint) or made. */
  ids: string[];
  status: number;
  /**
   * True for a row written in the request's own transaction, which committed with it; false for
   * one written after the answer: a request refused, failed, or that changed nothing (a duplicate
   * event), or whose answer was not the one its committed transaction foresaw.
   */
  transactional: boolean;
  requestId: string;
}

/** Authorize answers a question: it changes nothing, and is the route called most. */
const ASKS_ONLY = /^\/v1\/accounts\/[^/]+\/authorize$/;

/** Whether a request may change something, and is therefore audited. */
export function mayChange(method: string, path: string): boolean {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS') return false;
  return !ASKS_ONLY.test(path);
}

/** Longest id kept: ids come from requests, and a hostile one must not fill the log. */
export const MAX_AUDITED_ID = 256;
/** Most ids one row keeps: a full batch of events. */
export const MAX_AUDITED_IDS = 1000;

/**
 * The ids worth keeping, in the order first seen: strings of a sane length that the store can keep
 * (a batch's events are checked one by one by their route, so a hostile one may still hold a NUL),
 * each once, at most 1,000.
 */
export function auditedIds(values: Iterable<unknown>): string[] {
  const kept = new Set<string>();
  for (const value of values) {
    if (kept.size >= MAX_AUDITED_IDS) break;
    if (typeof value === 'string' && value.length > 0 && value.length <= MAX_AUDITED_ID && !unstorable(value)) kept.add(value);
  }
  return [...kept];
}
