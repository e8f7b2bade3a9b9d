// An event type and data named in a request beside an event (authorize, reservations, the event
// list's filter), checked against the catalog's event types as recording checks an event's.
import { DomainFailure } from '../domain/errors';
import type { Catalog } from '../domain/catalog/Catalog';
import { eventSchemaFor, unknownEventType } from '../domain/event/eventSchemas';
import { type EventData, type EventType, identifier } from '../domain/event/UsageEvent';
import { fromZod } from '../domain/fieldIssue';
import type { Context } from '../usecases/Context';
import { readCatalogVersionOf } from '../store/accounts';

/** The type, refused (422 naming `field`) unless the catalog has it. */
export function knownEventType(catalog: Catalog, type: string, field = 'type'): EventType {
  if (!eventSchemaFor(catalog).types.includes(type)) throw new DomainFailure(unknownEventType(catalog, field));
  return type;
}

/** Data of the type with every field optional (usage still to come), refused naming the field under `prefix`. */
export function parsePartialEventData(catalog: Catalog, type: string, data: Record<string, unknown>, prefix: string): EventData {
  const schema = eventSchemaFor(catalog).partialData.get(knownEventType(catalog, type));
  const parsed = schema!.safeParse(data);
  if (!parsed.success) throw new DomainFailure(fromZod(parsed.error, prefix));
  return parsed.data as EventData;
}

/**
 * The catalog the account is on, or the latest where there is no such account: a type added since
 * the account's version is unknown to it. An account this process remembers costs no read.
 */
export async function catalogOfAccount(context: Context, accountId: string): Promise<Catalog> {
  const remembered = await context.snapshots.rememberedCatalog(accountId);
  if (remembered) return remembered;
  // Only an id an account may have is looked up: any other (a NUL, a lone surrogate) names none.
  const version = identifier.safeParse(accountId).success ? await readCatalogVersionOf(context.db, accountId) : undefined;
  return version === undefined ? context.catalogs.latestCatalog() : (await context.catalogs.get(version)).catalog;
}
