import { createHash } from 'node:crypto';
import {
	NodeApiError,
	NodeOperationError,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

/** The action node's parameters, for error labels; the node registers them as it loads. */
let properties: readonly INodeProperties[] = [];

export function registerNodeProperties(all: readonly INodeProperties[]): void {
	properties = all;
}

const nodeProperties = () => properties;

interface ServerError {
	error?: { code?: string; message?: string; field?: string };
}

/**
 * The server's error as the node's, in the words of the node: a refused key says to check the
 * credential; a field error names the parameter's label (the server names the request's field,
 * `data.duration_seconds`); the server's own message and code follow in the description.
 */
export function serverError(
	node: INode,
	body: unknown,
	statusCode: number,
	itemIndex?: number,
	labelOf: (field: string) => string | undefined = () => undefined,
): NodeApiError {
	const error = (body as ServerError | undefined)?.error ?? {};
	const said = error.message ?? `The server answered ${statusCode}`;
	const code = error.code ? `CreditMeter error code: ${error.code}` : undefined;
	const label = error.field ? (labelOf(error.field) ?? error.field) : undefined;
	const message =
		statusCode === 401
			? 'CreditMeter rejected the API key: check the credential'
			: label
				? `${label}: ${said}`
				: said;
	const description = statusCode === 401 ? [said, code].filter(Boolean).join(' ') : code;
	return new NodeApiError(node, (body ?? {}) as JsonObject, {
		message,
		...(description ? { description } : {}),
		httpCode: String(statusCode),
		...(itemIndex !== undefined ? { itemIndex } : {}),
	});
}

/**
 * The labels of the parameters that send each request field (`data.duration_seconds` → "Duration
 * (Seconds)"), for what the node runs: several parameters send one field in different operations
 * or event types (a call's Call Direction, an SMS's Direction), so the one shown here wins.
 */
export function fieldLabels(
	properties: readonly INodeProperties[],
	shown: { resource: string; operation: string; type: string; version: number },
): Map<string, string> {
	const labels = new Map<string, string>();
	const shownHere = (property: INodeProperties) => {
		const show = property.displayOptions?.show ?? {};
		const versions = show['@version'] as Array<number | { _cnd?: { gte?: number } }> | undefined;
		const inVersion = !versions || versions.some((v) => (typeof v === 'number' ? v === shown.version : shown.version >= (v._cnd?.gte ?? Infinity)));
		return inVersion && (['resource', 'operation', 'type'] as const).every((name) => {
			const values = show[name] as string[] | undefined;
			return !values || values.includes(shown[name]);
		});
	};
	const visit = (property: INodeProperties | INodePropertyCollection | INodePropertyOptions, prefix: string) => {
		const sent = (property as INodeProperties).routing?.send?.property;
		// A list's "Plan Name or ID" (n8n's convention for loaded options) is the plan in an error.
		const label = 'displayName' in property ? `${prefix}${property.displayName.replace(/ Name or ID$/, '')}` : undefined;
		if (typeof sent === 'string' && label && !labels.has(sent)) labels.set(sent, label);
		for (const option of ((property as INodeProperties).options ?? []) as (INodeProperties | INodePropertyCollection)[]) {
			if ('displayName' in option) visit(option, label ? `${label} → ` : prefix);
		}
	};
	for (const property of properties) if (shownHere(property)) visit(property, '');
	return labels;
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
	const labels = fieldLabels(nodeProperties(), {
		resource: this.getNodeParameter('resource', '') as string,
		operation: this.getNodeParameter('operation', '') as string,
		type: this.getNodeParameter('type', '') as string,
		version: this.getNode().typeVersion,
	});
	throw serverError(this.getNode(), decodeBody(response.body), response.statusCode, this.getItemIndex(), (field) => labels.get(field));
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
 * An event without an ID gets one derived from the workflow, the node, the run, the item's position,
 * the item's content and the event but for its time: when n8n retries the node, or the whole
 * execution (a new execution that replays the same items), the same event is sent again and the
 * server answers it as a duplicate instead of charging twice. Two events alike in all of these (a
 * manual trigger's empty item, the same call sent twice) are one: such workflows give an Event ID.
 */
export async function deriveEventId(
	this: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (request.body ?? {}) as IDataObject;
	if (typeof body.id !== 'string' || body.id.trim() === '') {
		const runIndex = this.evaluateExpression('{{ $runIndex }}', this.getItemIndex());
		// The event as sent but for its time: a default timestamp ($now) differs on every retry.
		const event: IDataObject = { ...body };
		delete event.timestamp;
		delete event.id;
		const origin = JSON.stringify([
			this.getWorkflow().id ?? '',
			this.getNode().id,
			runIndex,
			this.getItemIndex(),
			this.getInputData().json,
			event,
		]);
		body.id = `n8n-${createHash('sha256').update(origin).digest('base64url').slice(0, 32)}`;
	}
	return { ...request, body };
}

/**
 * A Timestamp left at its default (version 1 and 2: the moment the node ran) is not sent: the
 * server stamps the moment it receives the event, and keeps that time when the same event comes
 * again. A retried execution runs later, so the default would otherwise differ from the recorded
 * time and the server would refuse the resend as another event under the same ID.
 */
export function leaveDefaultTimeToServer(defaultTime: string) {
	return async function (this: IExecuteSingleFunctions, request: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const given = this.getNode().parameters.timestamp;
		if (given !== undefined && given !== defaultTime) return request;
		const body = { ...((request.body ?? {}) as IDataObject) };
		delete body.timestamp;
		return { ...request, body };
	};
}

/**
 * Adds the values of a resource mapper parameter (Record Event's Event Fields) to the body's
 * `property` beside the fields of the node's own parameters; a value left empty is not sent.
 */
export function mergeMappedFields(parameter: string, property: string) {
	return async function (this: IExecuteSingleFunctions, request: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const mapped = this.getNodeParameter(parameter, {}) as { value?: IDataObject | null };
		const given = Object.entries(mapped.value ?? {}).filter(([, value]) => value !== null && value !== undefined && value !== '');
		if (given.length === 0) return request;
		const body = { ...((request.body ?? {}) as IDataObject) };
		body[property] = { ...((body[property] ?? {}) as IDataObject), ...Object.fromEntries(given) };
		return { ...request, body };
	};
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

/**
 * Parses a JSON parameter sent as text (batch events, usage data) into the body. With `unless`, an
 * operation that may take its data as fields instead skips the JSON when the fields were chosen.
 */
export function parseJsonInto(property: string, parameter: string, unless?: { parameter: string; is: string }) {
	return async function (
		this: IExecuteSingleFunctions,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (unless && this.getNodeParameter(unless.parameter, '') === unless.is) return request;
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

/** The credit note's lines from the node's Lines collection: `{ line, quantity }` or `{ line, amount }` each. */
export async function creditNoteLines(
	this: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (this.getNodeParameter('creditBy', 'lines') !== 'lines') return request;
	const given = this.getNodeParameter('creditLines.line', []) as Array<{ line?: number; by?: string; value?: string }>;
	const body = (request.body ?? {}) as IDataObject;
	body.lines = given.map((l) => ({ line: l.line ?? 0, [l.by === 'quantity' ? 'quantity' : 'amount']: String(l.value ?? '').trim() }));
	return { ...request, body };
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
