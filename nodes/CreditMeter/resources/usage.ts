import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, DIRECTION_OPTIONS, eventTypeField, fromVersion, paginated, returnAllFields, route } from '../shared/descriptions';
import { eventTypeFields, segmentsField } from '../shared/eventFields';
import { deriveEventId, failOnRejectedEvents, leaveDefaultTimeToServer, mergeMappedFields, parseJsonInto } from '../shared/transport';

/** A filter's time with its offset: the picker's local time is read in the workflow's time zone. */
const INSTANT = '={{ $value ? DateTime.fromISO(String($value)).toISO() : undefined }}';

/** Record Event's time up to version 2: the moment the node ran. */
const NOW = '={{ $now.toISO() }}';

const show = (...operation: string[]) => ({ resource: ['usage'], operation });
const showFor = (...type: string[]) => ({ resource: ['usage'], operation: ['record'], type });
const data = (property: string) => ({ send: { type: 'body' as const, property: `data.${property}` } });

/** A count of tokens or tool calls sent in the event's data. */
function tokens(name: string, displayName: string, description: string, property: string): INodeProperties {
	return { displayName, name, type: 'number', typeOptions: { minValue: 0 }, default: 0, description, routing: data(property) };
}

/** The optional fields of one event type: its own, and the report dimensions every type has. */
function additionalFieldsFor(type: string, own: INodeProperties[]): INodeProperties {
	const common: INodeProperties[] = [
		{
			displayName: 'Assistant',
			name: 'assistant',
			type: 'string',
			default: '',
			description: 'Which assistant handled it, for cost reports',
			routing: data('assistant'),
		},
		{
			displayName: 'Campaign',
			name: 'campaign',
			type: 'string',
			default: '',
			description: 'The campaign it belongs to, for cost reports',
			routing: data('campaign'),
		},
		{
			displayName: 'Number',
			name: 'number',
			type: 'string',
			default: '',
			description: 'The phone number used, for cost reports',
			routing: data('number'),
		},
		{
			displayName: 'Reservation ID',
			name: 'reservation',
			type: 'string',
			default: '',
			description: 'The reservation this usage settles (a call reserved when it started)',
			routing: { send: { type: 'body', property: 'reservation' } },
		},
	];
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showFor(type) },
		options: [...common, ...own].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const usageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['usage'] } },
	options: [
		{
			name: 'Amend Event',
			value: 'amend',
			action: 'Amend a usage event',
			description:
				'Correct a recorded event (a wrong duration): its current version is voided and the new data charged under the same ID, in one step',
			routing: route('POST', '=/v1/events/{{encodeURIComponent($parameter.eventId)}}/amend', { preSend: [parseJsonInto('data', 'newData')] }),
		},
		{
			name: 'Get Event',
			value: 'get',
			action: 'Get a usage event',
			description: 'Get a recorded event with its charges and the trace of each: why it cost what it cost',
			routing: route('GET', '=/v1/events/{{encodeURIComponent($parameter.eventId)}}', {
				qs: { account: '={{ $parameter.accountId }}' },
			}),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many usage events',
			description:
				"List an account's recorded events, newest first, with their cost and charges: find the call or message behind a charge",
			routing: {
				...route('GET', '/v1/events', {
					qs: { account: '={{ $parameter.accountId }}' },
					postReceive: [{ type: 'rootProperty', properties: { property: 'events' } }],
				}),
				// The account and the filters are carried over to each next page.
				...paginated('={{ !!$response.body.nextCursor }}', '={{ { ...$request.qs, cursor: $response.body?.nextCursor ?? undefined } }}'),
			},
		},
		{
			name: 'Record Batch',
			value: 'recordBatch',
			action: 'Record a batch of usage events',
			description:
				'Charge accounts for up to 1,000 events at once; each gets its own result, and the item fails if any event was rejected',
			routing: route('POST', '/v1/events/batch', {
				preSend: [parseJsonInto('events', 'events')],
				postReceive: [
					failOnRejectedEvents,
					{ type: 'rootProperty', enabled: '={{ $parameter.batchOutput === "perEvent" }}', properties: { property: 'results' } },
				],
			}),
		},
		{
			name: 'Record Event',
			value: 'record',
			action: 'Record a usage event',
			description:
				'Charge the account for usage that happened (a call, a chat turn, an SMS); the same event ID is never charged twice',
			routing: route('POST', '/v1/events', { preSend: [leaveDefaultTimeToServer(NOW), mergeMappedFields('eventFields', 'data'), deriveEventId] }),
		},
		{
			name: 'Void Event',
			value: 'void',
			action: 'Void a usage event',
			description:
				'Take back a recorded event (reported twice, a test call): what it cost and the included units it used are given back, and reports stop counting it',
			routing: route('POST', '=/v1/events/{{encodeURIComponent($parameter.eventId)}}/void'),
		},
	],
	default: 'record',
};

export const usageFields: INodeProperties[] = [
	...accountIdField(show('record'), { routing: { send: { type: 'body', property: 'account' } } }),
	...accountIdField(show('get', 'getAll')),
	...accountIdField(show('void', 'amend'), { routing: { send: { type: 'body', property: 'account' } } }),
	...returnAllFields(show('getAll'), { max: 1000 }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: show('getAll') },
		options: [
			{
				displayName: 'Assistant',
				name: 'assistant',
				type: 'string',
				default: '',
				description: 'Only events of this assistant',
				routing: { send: { type: 'query', property: 'assistant' } },
			},
			{
				displayName: 'Campaign',
				name: 'campaign',
				type: 'string',
				default: '',
				description: 'Only events of this campaign',
				routing: { send: { type: 'query', property: 'campaign' } },
			},
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: "Only events that happened at or after this time (a time without an offset is read in the workflow's time zone)",
				routing: { send: { type: 'query', property: 'from', value: INSTANT } },
			},
			{
				displayName: 'Number',
				name: 'number',
				type: 'string',
				default: '',
				description: 'Only events of this phone number',
				routing: { send: { type: 'query', property: 'number' } },
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: "Only events that happened before this time (a time without an offset is read in the workflow's time zone)",
				routing: { send: { type: 'query', property: 'to', value: INSTANT } },
			},
			{
				displayName: 'Type Name or ID',
				name: 'type',
				type: 'options',
				// The server's event types, its catalog's own among them.
				typeOptions: { loadOptionsMethod: 'getEventTypes' },
				default: 'call',
				description:
					'Only events of this kind. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				routing: { send: { type: 'query', property: 'type' } },
			},
		],
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID the event was recorded with',
		displayOptions: { show: show('get', 'void', 'amend') },
	},
	{
		displayName: 'New Data (JSON)',
		name: 'newData',
		type: 'json',
		required: true,
		default: '{}',
		placeholder: '{ "duration_seconds": 120 }',
		description: "The event's data as it should have been, all of it, checked like a new event of its type",
		displayOptions: { show: show('amend') },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Reported twice under two IDs',
		description: 'Why the event is corrected: kept with the correction and shown in the ledger',
		displayOptions: { show: show('void', 'amend') },
		routing: { send: { type: 'body', property: 'reason' } },
	},
	eventTypeField('What kind of usage happened', show('record'), 'type'),
	{
		displayName: 'Event ID',
		name: 'id',
		type: 'string',
		default: '',
		placeholder: 'call-4711',
		description:
			"The event's idempotency key, e.g. the call ID of your assistant platform. Leave empty to derive one from the workflow, the node and the item's content, so that a retried node or execution never charges twice.",
		displayOptions: { show: show('record') },
		routing: { send: { type: 'body', property: 'id' } },
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'dateTime',
		default: NOW,
		description: 'When the usage happened',
		displayOptions: { show: { ...show('record'), '@version': [1, 2] } },
		routing: { send: { type: 'body', property: 'timestamp' } },
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'dateTime',
		default: '',
		description: 'When the usage happened. Leave empty for the time the server receives it, which a retried execution keeps.',
		displayOptions: { show: { ...show('record'), ...fromVersion(3) } },
		routing: { send: { type: 'body', property: 'timestamp', value: '={{ $value === "" ? undefined : $value }}' } },
	},
	...eventTypeFields({ showFor, property: 'data', tense: 'happened' }),
	// One collection per type, each offering the fields its type has (a call no segments): all are
	// the one parameter "additionalFields", so the fields given stay when the type changes.
	additionalFieldsFor('ai_conversation', []),
	additionalFieldsFor('call', [
		{
			displayName: 'Answered',
			name: 'answered',
			type: 'boolean',
			default: true,
			description: 'Whether the call was answered; an unanswered call is charged its connection only',
			routing: data('answered'),
		},
		{
			displayName: 'Call Direction',
			name: 'callDirection',
			type: 'options',
			options: DIRECTION_OPTIONS,
			default: 'outbound',
			description: 'Whether the call came in or went out',
			routing: data('direction'),
		},
		{
			displayName: 'Destination Country',
			name: 'destinationCountry',
			type: 'string',
			default: '',
			placeholder: 'DE',
			description: 'ISO 3166 code of the country called; some carry a surcharge',
			routing: data('destination_country'),
		},
		tokens('inputTokens', 'Input Tokens', 'Tokens the voice AI read', 'input_tokens'),
		tokens('outputTokens', 'Output Tokens', 'Tokens the voice AI wrote', 'output_tokens'),
	]),
	additionalFieldsFor('chat', [
		{
			displayName: 'Chat Conversation',
			name: 'chatConversation',
			type: 'string',
			default: '',
			description: 'The conversation the chat turn belongs to',
			routing: data('conversation'),
		},
		tokens('toolCalls', 'Tool Calls', 'Tools the chat AI called (free)', 'tool_calls'),
	]),
	additionalFieldsFor('sms', [segmentsField(data)]),
	additionalFieldsFor('whatsapp', [
		tokens('inputTokens', 'Input Tokens', 'Tokens the WhatsApp AI read', 'input_tokens'),
		tokens('outputTokens', 'Output Tokens', 'Tokens the WhatsApp AI wrote', 'output_tokens'),
	]),
	// The fields the server's catalog declares: all of a type of its own (an e-mail's messages), and
	// those it adds to a built-in type (a chat's model), read from the server when the type changes.
	{
		displayName: 'Event Fields',
		name: 'eventFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['type'],
			resourceMapper: {
				resourceMapperMethod: 'getEventFields',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
		displayOptions: { show: show('record') },
	},
	{
		displayName: 'Events (JSON)',
		name: 'events',
		type: 'json',
		required: true,
		default: '[]',
		description:
			'An array of 1 to 1,000 events as the API takes them, each with its ID (the idempotency key), account, type, timestamp and data; the README shows one',
		displayOptions: { show: show('recordBatch') },
	},
	{
		displayName: 'Output',
		name: 'batchOutput',
		type: 'options',
		options: [
			{ name: 'One Item for the Batch', value: 'batch', description: 'The counts and every result in one item' },
			{ name: 'One Item per Event', value: 'perEvent', description: "Each event's result (index, status, cost or error) as its own item" },
		],
		default: 'batch',
		displayOptions: { show: show('recordBatch') },
	},
];
