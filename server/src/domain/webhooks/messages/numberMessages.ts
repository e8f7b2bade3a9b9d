// Payloads about rented phone numbers: rented (with its first charge) and released.
import { z } from 'zod';
import { PHONE_NUMBER_TYPES } from '../../phoneNumber/PhoneNumber';
import { accountLinks, accountStatus, decimal, instant } from './parts';

// phoneNumberView(), as the API answers too.
const phoneNumber = {
  account: z.string(),
  id: z.string(),
  number: z.string().describe('E.164'),
  type: z.enum(PHONE_NUMBER_TYPES),
  country: z.string(),
  monthlyRent: decimal,
  currency: z.string().describe('The unit the rent is charged in (the balance unit)'),
  status: z.enum(['active', 'released']),
  rentedAt: instant,
  releasedAt: instant.nullable(),
  links: accountLinks,
};

export const numberMessages = {
  'number.rented': z.strictObject({ ...phoneNumber, firstCharge: decimal, balance: decimal, accountStatus }),
  'number.released': z.strictObject(phoneNumber),
};
