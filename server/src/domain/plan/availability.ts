// Whether a plan may be chosen now by this account (seed 003, "plan not available"): within its
// `available` window (from inclusive, until exclusive) and, where it names countries, for an account
// whose billing country (else its VAT id's country) is one of them. An account without a country cannot show it is in one, so a
// plan limited to countries refuses it. Only choosing is checked: accounts on the plan keep it.
import { type AccountBilling, vatIdCountry } from '../account/Account';
import type { Plan } from '../catalog/Catalog';
import { planNotAvailable, type Refusal } from '../refusals';

export function availabilityRefusal(plan: Plan, { at, country }: { at: Date; country: string | undefined }): Refusal<'plan_not_available'> | undefined {
  const available = plan.available;
  if (!available) return undefined;
  if (available.from && at.getTime() < available.from.getTime()) return planNotAvailable({ plan: plan.code, rule: 'from', from: available.from });
  if (available.until && at.getTime() >= available.until.getTime()) return planNotAvailable({ plan: plan.code, rule: 'until', until: available.until });
  if (available.countries && (country === undefined || !available.countries.includes(country.toUpperCase()))) {
    return planNotAvailable({ plan: plan.code, rule: 'countries', countries: available.countries, country });
  }
  return undefined;
}

/** The account's country: its billing country, else the one its VAT id begins with (EL, Greece's VAT prefix, is GR). */
export function accountCountry(billing: AccountBilling): string | undefined {
  if (billing.country) return billing.country.toUpperCase();
  return vatIdCountry(billing.vatId);
}
