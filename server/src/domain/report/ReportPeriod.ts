// Which hours a report covers: explicit whole hours, or an account's current or previous cycle.
import type { Account } from '../account/Account';
import { cycleContaining, type Cycle } from '../cycle/Cycle';
import { type DomainError, validationFailed } from '../errors';
import { isWholeHour } from './UsageRollup';

export const NAMED_PERIODS = ['current_cycle', 'previous_cycle'] as const;
export type NamedPeriod = (typeof NAMED_PERIODS)[number];

export function cycleBefore(account: Pick<Account, 'anchor' | 'interval'>, cycle: Cycle): Cycle {
  return cycleContaining(account.anchor, account.interval, new Date(cycle.start.getTime() - 1));
}

export function resolvePeriod(
  input: { from?: Date | undefined; to?: Date | undefined; period?: NamedPeriod | undefined },
  account: Pick<Account, 'anchor' | 'interval'> | undefined,
  now: Date,
): { ok: true; from: Date; to: Date } | { ok: false; error: DomainError } {
  if (input.period) {
    if (input.from || input.to) return { ok: false, error: validationFailed('period', 'give either period or from and to, not both') };
    if (!account) return { ok: false, error: validationFailed('period', 'a cycle belongs to one account: give account as well') };
    const current = cycleContaining(account.anchor, account.interval, now);
    const cycle = input.period === 'current_cycle' ? current : cycleBefore(account, current);
    return { ok: true, from: cycle.start, to: cycle.end };
  }
  if (!input.from) return { ok: false, error: validationFailed('from', 'is required (or give period with an account)') };
  if (!input.to) return { ok: false, error: validationFailed('to', 'is required (or give period with an account)') };
  for (const [field, at] of [['from', input.from], ['to', input.to]] as const) {
    if (!isWholeHour(at)) return { ok: false, error: validationFailed(field, 'must fall on a whole hour (UTC), such as 2026-11-01T00:00:00Z: usage is reported by the hour') };
  }
  if (input.to.getTime() <= input.from.getTime()) return { ok: false, error: validationFailed('to', 'must lie after from') };
  return { ok: true, from: input.from, to: input.to };
}
