// An event type and data named in a request beside an event (authorize, reservations, the event
// list's filter), checked against the catalog's event types as recording checks an event's.
import { DomainFailure, validationFailed } from '../domain/errors';
import type { Catalog } from '../domain/catalog/Catalog';
import { eventSchemaFor } from '../domain/event/eventSchemas';
import { type EventData, type EventType, identifier } from '../domain/event/UsageEvent';
import { fromZod } from './errorResponse';
import type { Context } from '../usecases/Context';
import { readCatalogVersionsOf } from '../store/accounts';

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

/**
 * The catalog each named account is on, by account id: events are checked against their account's
 * catalog version (one the account was opened before knows no type added since). An account this
 * process remembers costs no read; the others' versions are read in one query. An account not known
 * is checked against the latest; its events are then refused as for no account.
 */
export async function catalogsOfAccounts(context: Context, accountIds: Iterable<unknown>): Promise<(accountId: unknown) => Catalog> {
  const named = [...new Set(accountIds)];
  const known = new Map<unknown, Catalog>();
  const toRead: string[] = [];
  for (const id of named) {
    if (typeof id !== 'string') continue;
    const remembered = await context.snapshots.rememberedCatalog(id);
    if (remembered) known.set(id, remembered);
    // Only ids an account may have are looked up: any other (a NUL, a lone surrogate) is refused with its event.
    else if (identifier.safeParse(id).success) toRead.push(id);
  }
  for (const [id, version] of await readCatalogVersionsOf(context.db, toRead)) known.set(id, (await context.catalogs.get(version)).catalog);
  const latest = named.every((id) => known.has(id)) ? undefined : await context.catalogs.latestCatalog();
  return (accountId) => known.get(accountId) ?? latest!;
}

/** The catalog the account is on, or the latest where there is no such account. */
export async function catalogOfAccount(context: Context, accountId: string): Promise<Catalog> {
  return (await catalogsOfAccounts(context, [accountId]))(accountId);
}
