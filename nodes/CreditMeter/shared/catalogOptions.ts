import type { FieldType, IDataObject, ILoadOptionsFunctions, INodePropertyOptions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';
import { EVENT_TYPE_OPTIONS } from './descriptions';
import { readFromServer } from './serverRead';

/** The server's catalog as GET /v1/plans answers it; older servers leave out the last two lists. */
interface CatalogAnswer {
	plans?: { code: string; name: string; billing?: string }[];
	addOns?: { code: string; name: string; price?: string }[];
	eventTypes?: string[];
	meters?: { meter: string; unit: string }[];
}

const readCatalog = async (context: ILoadOptionsFunctions) => (await readFromServer.call(context, '/v1/plans')) as CatalogAnswer;

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The catalog's plans, for the Plan pickers: whatever the server's catalog holds, custom plans included. */
export async function getPlans(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { plans = [] } = await readCatalog(this);
	return plans.map((plan) => ({ name: plan.name, value: plan.code, description: `${plan.code}${plan.billing ? `, ${plan.billing}` : ''}` })).sort(byName);
}

/** The catalog's add-on packs, for Buy Add-On. */
export async function getAddOns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { addOns = [] } = await readCatalog(this);
	return addOns.map((addOn) => ({ name: addOn.name, value: addOn.code, description: `${addOn.code}${addOn.price ? `, ${addOn.price} a pack` : ''}` })).sort(byName);
}

/** The meters the catalog's allowances count (minutes, credits…), for allowance alert rules. */
export async function getMeters(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { meters = [] } = await readCatalog(this);
	return meters.map(({ meter, unit }) => ({ name: meter, value: meter, description: `Counted in ${unit}s` })).sort(byName);
}

/**
 * The event types the server's catalog prices, named as the node names the built-in ones; a type
 * the node does not know is listed by its code, so a catalog's own type needs no node update.
 */
export async function getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { eventTypes } = await readCatalog(this);
	if (!eventTypes) return EVENT_TYPE_OPTIONS;
	const known = new Map(EVENT_TYPE_OPTIONS.map((option) => [option.value, option.name]));
	return eventTypes.map((type) => ({ name: known.get(type) ?? type, value: type })).sort(byName);
}

/** One field of an event type as GET /v1/catalog/events lists it. */
interface EventFieldAnswer {
	name: string;
	type: 'string' | 'integer' | 'number' | 'boolean';
	required: boolean;
	/** Declared by the catalog (a built-in type's own fields have parameters of their own in the node). */
	declared: boolean;
	min?: number;
	max?: number;
	enum?: (string | number)[];
}

const FIELD_TYPES: Record<EventFieldAnswer['type'], FieldType> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean' };

/** A field's bounds in words, for the mapper's label: "messages (1 to 1000)". */
function bounds(field: EventFieldAnswer): string {
	if (field.min !== undefined && field.max !== undefined) return ` (${field.min} to ${field.max})`;
	if (field.min !== undefined) return ` (at least ${field.min})`;
	if (field.max !== undefined) return ` (at most ${field.max})`;
	return '';
}

/**
 * The fields of the chosen event type the node has no parameter for, as Record Event's Event
 * Fields mapper offers them: every field of a type the catalog declares, and the fields a catalog
 * adds to a built-in type (a chat's model). A server without GET /v1/catalog/events offers none.
 */
export async function getEventFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const type = String(this.getNodeParameter('type', ''));
	const read = async (qs: IDataObject) =>
		(await readFromServer.call(this, '/v1/catalog/events', qs, { notFound: {} })) as {
			eventTypes?: { type: string; builtIn: boolean; fields: EventFieldAnswer[] }[];
		};
	// The account's own catalog version where the node names one. An expression names it only when
	// the workflow runs, and an account not opened yet has none: then the latest version's fields.
	const account = namedAccount(this.getNodeParameter('accountId', '', { rawExpressions: true }));
	let answer = account ? await read({ account }).catch(() => ({}) as Awaited<ReturnType<typeof read>>) : {};
	if (!answer.eventTypes) answer = await read({});
	if (!answer.eventTypes) return { fields: [], emptyFieldsNotice: 'This CreditMeter server lists no event fields; update it to map them here' };
	const eventType = answer.eventTypes?.find((t) => t.type === type);
	const fields: ResourceMapperField[] = (eventType?.fields ?? [])
		.filter((field) => !eventType!.builtIn || field.declared)
		.map((field) => ({
			id: field.name,
			displayName: `${field.name}${bounds(field)}`,
			required: field.required,
			defaultMatch: false,
			display: true,
			type: field.enum ? 'options' : FIELD_TYPES[field.type],
			...(field.enum ? { options: field.enum.map((value) => ({ name: String(value), value })) } : {}),
		}));
	return { fields, emptyFieldsNotice: `The catalog declares no further fields for ${type || 'this type'}` };
}

/** The account a node's parameter names as a plain value (the ID field, or the picker's value); none for an expression. */
function namedAccount(parameter: unknown): string | undefined {
	const value = typeof parameter === 'object' && parameter !== null && 'value' in parameter ? (parameter as { value: unknown }).value : parameter;
	return typeof value === 'string' && value !== '' && !value.startsWith('=') ? value : undefined;
}
