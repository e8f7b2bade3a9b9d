import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	INodePropertyRouting,
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

export function accountIdField(
	show: { resource: string[]; operation: string[] },
	description = 'The ID of the account, as given when it was created',
): INodeProperties {
	return {
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'acme',
		description,
		displayOptions: { show },
	};
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
