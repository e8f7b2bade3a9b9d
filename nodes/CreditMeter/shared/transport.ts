import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

interface ServerError {
	error?: { code?: string; message?: string; field?: string };
}

/** The server's error as the node's: its message, prefixed by the field it names, and its code. */
export function serverError(node: INode, body: unknown, statusCode: number, itemIndex?: number): NodeApiError {
	const error = (body as ServerError | undefined)?.error ?? {};
	const message = error.message ?? `The server answered ${statusCode}`;
	return new NodeApiError(node, (body ?? {}) as JsonObject, {
		message: error.field ? `${error.field}: ${message}` : message,
		description: error.code ? `creditmeter error code: ${error.code}` : undefined,
		httpCode: String(statusCode),
		...(itemIndex !== undefined ? { itemIndex } : {}),
	});
}

/** The body of a file download (requested as an array buffer) as bytes; undefined for any other body. */
function bytesOf(body: unknown): Buffer | undefined {
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	return undefined;
}

/** A file download (CSV, PDF) arrives as bytes; its error answer is still the server's JSON. */
function decodeBody(body: unknown): unknown {
	const bytes = bytesOf(body);
	if (!bytes) return body;
	const text = bytes.toString('utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return { error: { message: text.slice(0, 500) } };
	}
}

/**
 * Every request is sent with `ignoreHttpStatusErrors`, so that the server's own error reaches the
 * workflow. "Continue on fail" then receives that message for the failed item only.
 */
export async function checkResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode < 400) return items;
	throw serverError(this.getNode(), decodeBody(response.body), response.statusCode, this.getItemIndex());
}

interface BatchAnswer {
	rejected?: number;
	results?: { index: number; status: string; error?: { code?: string; message?: string; field?: string } }[];
}

/**
 * A batch answers 200 even when some of its events were rejected: the item fails then, naming
 * each rejected event (the others were recorded), so that a rejection is never a silent success.
 * With "Continue on fail" the item carries that error instead.
 */
export async function failOnRejectedEvents(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const answer = response.body as BatchAnswer;
	const rejected = (answer.results ?? []).filter((result) => result.status === 'rejected');
	if (rejected.length === 0) return items;
	const reasons = rejected
		.slice(0, 5)
		.map((r) => `event ${r.index}: ${r.error?.field ? `${r.error.field}: ` : ''}${r.error?.message ?? r.error?.code ?? 'rejected'}`)
		.join('; ');
	const more = rejected.length > 5 ? `; and ${rejected.length - 5} more` : '';
	throw new NodeApiError(this.getNode(), response.body as JsonObject, {
		message: `${rejected.length} of ${answer.results?.length ?? rejected.length} events were rejected (the others were recorded): ${reasons}${more}`,
		description: 'Each result is in the server answer; send the rejected events again once they are mended.',
		httpCode: String(response.statusCode),
		itemIndex: this.getItemIndex(),
	});
}

/**
 * An event without an ID gets one derived from the execution, the node, the run and the item: when
 * n8n retries the node, the same event is sent again and the server answers it as a duplicate
 * instead of charging twice.
 */
export async function deriveEventId(
	this: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (request.body ?? {}) as IDataObject;
	if (typeof body.id !== 'string' || body.id.trim() === '') {
		const runIndex = this.evaluateExpression('{{ $runIndex }}', this.getItemIndex());
		body.id = `n8n-${this.getExecutionId()}-${this.getNode().id}-${String(runIndex)}-${this.getItemIndex()}`;
	}
	return { ...request, body };
}

/** Turns a comma-separated list ("50, 80, 100") into the array the API takes. */
export async function splitThresholds(
	this: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (request.body ?? {}) as IDataObject;
	const kind = body.kind;
	const raw = String(body.thresholds ?? '');
	const parts = raw
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	body.thresholds = kind === 'allowance_percent' ? parts.map((part) => Number(part)) : parts;
	return { ...request, body };
}

/** Parses a JSON parameter sent as text (batch events, usage data) into the body. */
export function parseJsonInto(property: string, parameter: string) {
	return async function (
		this: IExecuteSingleFunctions,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const raw = this.getNodeParameter(parameter, '{}') as unknown;
		let value: unknown = raw;
		if (typeof raw === 'string') {
			try {
				value = JSON.parse(raw === '' ? '{}' : raw);
			} catch {
				throw new NodeOperationError(this.getNode(), `${parameter}: is not valid JSON`, {
					itemIndex: this.getItemIndex(),
				});
			}
		}
		// No property: the parsed JSON is the whole body.
		if (property === '') return { ...request, body: value as IDataObject };
		const body = (request.body ?? {}) as IDataObject;
		body[property] = value as IDataObject;
		return { ...request, body };
	};
}

/**
 * A file answer (a CSV report, later an invoice PDF) as one binary property, named and typed as the
 * server's Content-Disposition and Content-Type say.
 */
export async function toBinaryFile(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const property = this.getNodeParameter('binaryPropertyName', 'data') as string;
	const bytes = bytesOf(response.body) ?? Buffer.from(String(response.body), 'utf8');
	const disposition = String(response.headers['content-disposition'] ?? '');
	const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1];
	const mimeType = String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0];
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
	return [{ json: { fileName: fileName ?? null, mimeType, size: bytes.length }, binary: { [property]: binary } }];
}
