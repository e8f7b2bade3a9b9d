// Allowance units bought on top of a plan's (an add-on pack of minutes), for one period: the plan
// an account is rated on in that period includes them.
import type { Plan } from '../catalog/Catalog';
import type { Cycle } from '../cycle/Cycle';
import { money } from '../money';
import { allowancePeriod } from './Allowance';

/** Extra units in the meter's unit (minutes, conversations), by `${meter}|${period}`, as decimal strings. */
export type AllowanceExtras = Record<string, string>;

export function extrasKey(meter: string, period: string): string {
  return `${meter}|${period}`;
}

/** The plan with the extras of the period that `cycle` is in added to its allowances. */
export function withExtras(plan: Plan, extras: AllowanceExtras, cycle: Cycle): Plan {
  if (Object.keys(extras).length === 0) return plan;
  let changed = false;
  const allowances = plan.allowances.map((allowance) => {
    const extra = extras[extrasKey(allowance.meter, allowancePeriod(allowance, cycle))];
    if (extra === undefined) return allowance;
    changed = true;
    const add = money(extra);
    const included =
      'total' in allowance.included
        ? { total: allowance.included.total.plus(add) }
        : {
            month: allowance.included.month === 'unlimited' ? ('unlimited' as const) : allowance.included.month.plus(add),
            year: allowance.included.year === 'unlimited' ? ('unlimited' as const) : allowance.included.year.plus(add),
          };
    return { ...allowance, included };
  });
  return changed ? { ...plan, allowances } : plan;
}
