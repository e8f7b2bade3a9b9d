// Dedicated phone numbers an account rents: what one costs a month by type and country, and what
// its first, partial cycle costs.
import type { Catalog, Interval } from '../catalog/Catalog';
import type { Cycle } from '../cycle/Cycle';
import { money, Money } from '../money';

export const PHONE_NUMBER_TYPES = ['local', 'mobile'] as const;
export type PhoneNumberType = (typeof PHONE_NUMBER_TYPES)[number];

/** Rents are charged in the balance unit and kept to two decimals (cents, or hundredths of a credit). */
export const RENT_DECIMALS = 2;

/** Reports show a number's rent on this channel, one unit per number and cycle. */
export const RENT_CHANNEL = 'phone_numbers';

export interface PhoneNumber {
  id: string;
  accountId: string;
  number: string;
  type: PhoneNumberType;
  country: string;
  monthlyRent: Money;
  rentedAt: Date;
  releasedAt: Date | null;
}

/** The monthly rent of a number of this type in this country, or undefined when the catalog rents none. */
export function monthlyRent(catalog: Pick<Catalog, 'phoneNumbers'>, type: PhoneNumberType, country: string): Money | undefined {
  const rent = catalog.phoneNumbers[type];
  if (!rent) return undefined;
  return rent.countries[country] ?? rent.month;
}

/** A whole cycle's rent: twelve months for a yearly account. */
export function cycleRent(monthly: Money, interval: Interval): Money {
  return interval === 'year' ? monthly.times(12) : monthly;
}

/**
 * The rent charged when a number is rented: the cycle's rent for the part of the cycle that is
 * left, prorated to the second and rounded half up to two decimals. Later cycles pay in full.
 */
export function firstRent({ monthly, interval, cycle, rentedAt }: { monthly: Money; interval: Interval; cycle: Cycle; rentedAt: Date }): Money {
  const length = Math.floor((cycle.end.getTime() - cycle.start.getTime()) / 1000);
  const left = Math.max(0, Math.floor((cycle.end.getTime() - rentedAt.getTime()) / 1000));
  return cycleRent(monthly, interval).times(money(left)).dividedBy(length).toDecimalPlaces(RENT_DECIMALS, Money.ROUND_HALF_UP);
}
