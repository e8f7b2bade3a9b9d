import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	INodePropertyRouting,
	IDisplayOptions,
	PostReceiveAction,
} from 'n8n-workflow';
import { checkResponse } from './transport';

type PreSend = (
	this: IExecuteSingleFunctions,
	request: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;
type PostReceive =
	| PostReceiveAction
	| ((
			this: IExecuteSingleFunctions,
			items: INodeExecutionData[],
			response: IN8nHttpFullResponse,
	  ) => Promise<INodeExecutionData[]>);

/** An operation's request; the server's errors are checked before anything else reads the answer. */
export function route(
	method: IHttpRequestMethods,
	url: string,
	options: { preSend?: PreSend[]; postReceive?: PostReceive[]; qs?: IDataObject } = {},
): INodePropertyRouting {
	return {
		request: { method, url, ...(options.qs ? { qs: options.qs } : {}) },
		...(options.preSend ? { send: { preSend: options.preSend } } : {}),
		output: { postReceive: [checkResponse, ...(options.postReceive ?? [])] },
	};
}

/** The path of an account, with its id escaped. */
export const accountPath = (rest = '') =>
	`=/v1/accounts/{{encodeURIComponent($parameter.accountId)}}${rest}`;

/** Shown from a node version on (n8n's display condition on `@version`). */
export const fromVersion = (version: number) => ({ '@version': [{ _cnd: { gte: version } }] });

interface AccountFieldOptions {
	description?: string;
	/** The first node version that shows the field (up to 2 as an ID, from 3 as a locator). */
	since?: 1 | 2;
	required?: boolean;
	routing?: INodePropertyRouting;
}

/**
 * The account an operation works on, one parameter for every operation: typed as an ID up to
 * version 2; from version 3 picked from the server's accounts (searched by ID or name) or given by
 * ID. Both are read as `$parameter.accountId`, which n8n resolves to the chosen ID.
 */
export function accountIdField(show: IDisplayOptions['show'] & object, options: AccountFieldOptions = {}): INodeProperties[] {
	const byId = options.description ?? 'The ID of the account, as given when it was created';
	const picked = options.description ?? "The account: picked from the server's accounts, or given by its ID";
	const required = options.required ?? true;
	const routing = options.routing ? { routing: options.routing } : {};
	return [
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			required,
			default: '',
			placeholder: 'acme',
			description: byId,
			displayOptions: { show: { ...show, '@version': options.since === 2 ? [2] : [1, 2] } },
			...routing,
		},
		{
			displayName: 'Account',
			name: 'accountId',
			type: 'resourceLocator',
			required,
			default: { mode: 'list', value: '' },
			description: picked,
			displayOptions: { show: { ...show, ...fromVersion(3) } },
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
				},
				{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'acme' },
			],
			...routing,
		},
	];
}

/** For answers without a body (204): one item that says what happened. */
export const answerWith = (json: IDataObject): PostReceiveAction => ({
	type: 'set',
	properties: { value: `={{ ${JSON.stringify(json)} }}` },
});

export const EVENT_TYPE_OPTIONS = [
	{ name: 'AI Conversation', value: 'ai_conversation' },
	{ name: 'Call', value: 'call' },
	{ name: 'Chat', value: 'chat' },
	{ name: 'SMS', value: 'sms' },
	{ name: 'WhatsApp', value: 'whatsapp' },
];

/**
 * The event type of an operation, listed from the server's catalog (a catalog's own type needs no
 * node update); the typed fields below it follow the choice.
 */
export function eventTypeField(description: string, show: IDisplayOptions['show'] & object, sendAs?: string): INodeProperties {
	return {
		displayName: 'Type Name or ID',
		name: 'type',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getEventTypes' },
		default: 'call',
		description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		displayOptions: { show },
		...(sendAs ? { routing: { send: { type: 'body', property: sendAs } } } : {}),
	};
}

export const DIRECTION_OPTIONS = [
	{ name: 'Inbound', value: 'inbound' },
	{ name: 'Outbound', value: 'outbound' },
];

/** What an AI conversation was for (DOMAIN.md model 3). */
export const FEATURE_OPTIONS = [
	{ name: 'Autopilot', value: 'autopilot' },
	{ name: 'Playground', value: 'playground' },
	{ name: 'Suggested Reply', value: 'suggested_reply' },
];

/**
 * n8n's Return All and Limit of a Get Many operation. The limit caps the items the node returns;
 * where the server pages by a `limit` query too (`pageSize`), a limited run asks for one page of it.
 */
export function returnAllFields(show: IDisplayOptions['show'], pageSize?: { max: number }): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: pageSize?.max },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
			routing: {
				...(pageSize ? { send: { type: 'query', property: 'limit' } } : {}),
				output: { maxResults: '={{ $value }}' },
			},
		},
	];
}

/**
 * A Get Many that follows the server's pages while Return All is on: `more` says whether a next
 * page exists, `next` is the query that asks for it. n8n replaces the request's query with `next`
 * (shallowly), so a query that must keep more than the page's key spreads `$request.qs` into it.
 */
export function paginated(more: string, next: IDataObject | string): Pick<INodePropertyRouting, 'send' | 'operations'> {
	return {
		send: { paginate: '={{ $parameter.returnAll }}' },
		operations: { pagination: { type: 'generic', properties: { continue: more, request: { qs: next as IDataObject } } } },
	};
}
