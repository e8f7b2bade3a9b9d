// The instants the API accepts. PostgreSQL refuses some times JavaScript parses (the year 0000) and
// cycle arithmetic runs past the end of whatever it is given, so every timestamp a caller sends is
// held to a range no real usage, top-up or report falls outside of.
import { z } from 'zod';

/** Earliest instant accepted: no AI-assistant usage predates it. */
export const EARLIEST_INSTANT = new Date('2000-01-01T00:00:00Z');
/** First instant refused: far enough for yearly cycles and expiry dates, near enough to be a real date. */
export const LATEST_INSTANT = new Date('2100-01-01T00:00:00Z');

export const INSTANT_RANGE_MESSAGE = `must be between ${EARLIEST_INSTANT.toISOString()} and ${LATEST_INSTANT.toISOString()}`;

export function inInstantRange(at: Date): boolean {
  return at.getTime() >= EARLIEST_INSTANT.getTime() && at.getTime() < LATEST_INSTANT.getTime();
}

/** An ISO 8601 time with an offset, within the accepted range; stays the string it was. */
export const isoInstant = z.iso
  .datetime({ offset: true })
  .refine((v) => inInstantRange(new Date(v)), INSTANT_RANGE_MESSAGE);
