import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
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
