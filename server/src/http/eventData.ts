// An event type and data named in a request beside an event (authorize, reservations, the event
// list's filter), checked against the catalog's event types as recording checks an event's.
import { DomainFailure, validationFailed } from '../domain/errors';
import type { Catalog } from '../domain/catalog/Catalog';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import type { EventData, EventType } from '../domain/event/UsageEvent';
import { fromZod } from './errorResponse';

/** The type, refused (422 naming `field`) unless the catalog has it. */
export function knownEventType(catalog: Catalog, type: string, field = 'type'): EventType {
  const { types } = eventSchemaFor(catalog);
  if (!types.includes(type)) throw new DomainFailure(validationFailed(field, `must be one of ${types.join(', ')}`));
  return type;
}

/** Data of the type with every field optional (usage still to come), refused naming the field under `prefix`. */
export function parsePartialEventData(catalog: Catalog, type: string, data: Record<string, unknown>, prefix: string): EventData {
  const schema = eventSchemaFor(catalog).partialData.get(knownEventType(catalog, type));
  const parsed = schema!.safeParse(data);
  if (!parsed.success) throw new DomainFailure(fromZod(parsed.error, prefix));
  return parsed.data as EventData;
}
