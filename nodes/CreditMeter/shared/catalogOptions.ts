import { NodeApiError, type ILoadOptionsFunctions, type INodePropertyOptions, type JsonObject } from 'n8n-workflow';

interface CatalogAnswer {
	plans?: { code: string; name: string; billing?: string }[];
	addOns?: { code: string; name: string; price?: string }[];
}

/** The server's catalog (GET /v1/plans), read with the node's credential. */
async function readCatalog(this: ILoadOptionsFunctions): Promise<CatalogAnswer> {
	const credentials = await this.getCredentials<{ baseUrl: string }>('creditMeterApi');
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'creditMeterApi', {
		method: 'GET',
		url: `${credentials.baseUrl.replace(/\/+$/, '')}/v1/plans`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	if (response.statusCode >= 400) {
		const said = (response.body as { error?: { message?: string } } | undefined)?.error?.message;
		throw new NodeApiError(this.getNode(), (response.body ?? {}) as JsonObject, {
			message: response.statusCode === 401 ? 'CreditMeter rejected the API key: check the credential' : (said ?? `The server answered ${response.statusCode}`),
			httpCode: String(response.statusCode),
		});
	}
	return response.body as CatalogAnswer;
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The catalog's plans, for the Plan pickers: whatever the server's catalog holds, custom plans included. */
export async function getPlans(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { plans = [] } = await readCatalog.call(this);
	return plans.map((plan) => ({ name: plan.name, value: plan.code, description: `${plan.code}${plan.billing ? `, ${plan.billing}` : ''}` })).sort(byName);
}

/** The catalog's add-on packs, for Buy Add-On. */
export async function getAddOns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { addOns = [] } = await readCatalog.call(this);
	return addOns.map((addOn) => ({ name: addOn.name, value: addOn.code, description: `${addOn.code}${addOn.price ? `, ${addOn.price} a pack` : ''}` })).sort(byName);
}
