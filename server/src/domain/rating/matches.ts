// Whether a catalog entry's `when` conditions hold for an event's data (plus derived facts such as
// an open WhatsApp window). A list means any of its values; an absent field never matches.
import type { Conditions } from '../catalog/Catalog';
import type { EventData } from '../event/UsageEvent';

export function matches(conditions: Conditions | undefined, data: EventData): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([field, expected]) => {
    const actual = data[field];
    if (actual === undefined) return false;
    return Array.isArray(expected) ? expected.includes(actual) : expected === actual;
  });
}
