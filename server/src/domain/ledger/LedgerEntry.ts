// Ledger entries: the append-only record every balance is the sum of. An entry is never changed;
// each one records the balance after it, so any entry can be checked against its predecessor.
import type { Money } from '../money';

/**
 * Corrections are kinds of their own: an adjustment (either sign), a void giving back what an event
 * drew, a refund of a credit note to the balance, an unsettlement taking back what an invoice settled.
 */
export type LedgerKind = 'plan_credits' | 'topup' | 'usage' | 'fee' | 'expiry' | 'settlement' | 'adjustment' | 'void' | 'refund' | 'unsettlement';

export interface LedgerEntry {
  id: string;
  accountId: string;
  kind: LedgerKind;
  /** Signed: grants and settlements add, usage, fees and expiry subtract. */
  amount: Money;
  balanceAfter: Money;
  grantId: string | null;
  eventId: string | null;
  reference: string | null;
  description: string;
  /** Why a correction was made, as its maker said; null for everything else. */
  reason: string | null;
  occurredAt: Date;
}

/**
 * Mints ids with a prefix that says what they name: ledger entry, grant, top-up, outbox message,
 * rule, endpoint, recharge, reservation, number, invoice, add-on, API key, audit row, top-up
 * request, adjustment, credit note.
 */
export type NewId = (prefix: 'led' | 'grt' | 'top' | 'msg' | 'alr' | 'whe' | 'rch' | 'res' | 'num' | 'inv' | 'add' | 'key' | 'aud' | 'tur' | 'adj' | 'crn') => string;
