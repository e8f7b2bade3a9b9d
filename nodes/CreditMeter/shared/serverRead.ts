import { NodeApiError, type IDataObject, type ILoadOptionsFunctions, type JsonObject } from 'n8n-workflow';

/**
 * A GET to the server with the node's credential, for the lists of the parameter panel; a refused
 * key or a server error is shown in the panel in the node's words. With `absent`, a 404 (an older
 * server without the route) answers that instead.
 */
export async function readFromServer(this: ILoadOptionsFunctions, path: string, qs: IDataObject = {}, absent?: { notFound: unknown }): Promise<unknown> {
	const credentials = await this.getCredentials<{ baseUrl: string }>('creditMeterApi');
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'creditMeterApi', {
		method: 'GET',
		url: `${credentials.baseUrl.replace(/\/+$/, '')}${path}`,
		qs,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	if (response.statusCode === 404 && absent) return absent.notFound;
	if (response.statusCode >= 400) {
		const said = (response.body as { error?: { message?: string } } | undefined)?.error?.message;
		throw new NodeApiError(this.getNode(), (response.body ?? {}) as JsonObject, {
			message: response.statusCode === 401 ? 'CreditMeter rejected the API key: check the credential' : (said ?? `The server answered ${response.statusCode}`),
			httpCode: String(response.statusCode),
		});
	}
	return response.body;
}
