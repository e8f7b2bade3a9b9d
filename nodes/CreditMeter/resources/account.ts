import type { INodeProperties } from 'n8n-workflow';
import { parseJsonInto } from '../shared/transport';
import { accountIdField, accountPath, paginated, returnAllFields, route } from '../shared/descriptions';

const show = (...operation: string[]) => ({ resource: ['account'], operation });

/** The language and time zone the customer's dashboard, explanations and new invoices use; the catalog's default when not given. */
const displayFields: INodeProperties[] = [
	{
		displayName: 'Locale',
		name: 'locale',
		type: 'options',
		options: [
			{ name: 'English (United Kingdom)', value: 'en-GB' },
			{ name: 'English (United States)', value: 'en-US' },
			{ name: 'German (Austria)', value: 'de-AT' },
			{ name: 'German (Germany)', value: 'de-DE' },
			{ name: 'German (Switzerland)', value: 'de-CH' },
		],
		default: 'en-GB',
		description:
			'The language of the dashboard, the explanations and new invoices, and how their dates and figures read; any German or English locale can be given by expression',
		routing: { send: { type: 'body', property: 'locale' } },
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		placeholder: 'Europe/Berlin',
		default: '',
		description: 'The IANA time zone the dashboard and invoices read days and times in, e.g. Europe/Berlin or UTC',
		routing: { send: { type: 'body', property: 'timeZone' } },
	},
];

export const accountOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Close Ended Cycles',
			value: 'closeCycles',
			action: 'Close the ended cycles of an account',
			description:
				'Close the billing cycles that have ended now instead of within seconds: credits renew, rents and the invoice are issued',
			routing: route('POST', accountPath('/cycles/close'), {
				postReceive: [{ type: 'rootProperty', properties: { property: 'closed' } }],
			}),
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create an account',
			description: "Open an account for a customer on a plan of the catalog; its first billing cycle starts with the plan's fee and credits",
			routing: route('POST', '/v1/accounts'),
		},
		{
			name: 'Create Dashboard Link',
			value: 'createDashboardLink',
			action: 'Create a dashboard link for an account',
			description:
				"Create a signed link to the account's usage dashboard, to send to the customer; it shows that account only, read-only, until it expires",
			routing: route('POST', accountPath('/dashboard-links')),
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an account',
			description: 'Get an account: plan, status, balance and contact e-mail',
			routing: route('GET', accountPath()),
		},
		{
			name: 'Get Cycles',
			value: 'getCycles',
			action: 'Get the billing cycles of an account',
			description: 'Get the current billing cycle and every closed one with what its closing did',
			routing: route('GET', accountPath('/cycles')),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many accounts',
			description: 'List accounts, ordered by ID',
			routing: {
				...route('GET', '/v1/accounts', {
					postReceive: [{ type: 'rootProperty', properties: { property: 'accounts' } }],
				}),
				...paginated('={{ !!$response.body.next }}', { after: '={{ $response.body?.next ?? "" }}' }),
			},
		},
		{
			name: 'Get Prices',
			value: 'getPrices',
			action: 'Get the prices of an account',
			description: "Get the account's own prices by service (custom pricing), which beat its plan's and the catalog's",
			routing: route('GET', accountPath('/prices')),
		},
		{
			name: 'Get Spend Limit',
			value: 'getSpendLimit',
			action: 'Get the spend limit of an account',
			description: "Get a postpaid account's spend limit and the cycle's spend against it",
			routing: route('GET', accountPath('/spend-limit')),
		},
		{
			name: 'Remove Prices',
			value: 'removePrices',
			action: 'Remove the prices of an account',
			description: "Remove the account's own prices: its plan's and the catalog's prices rate it again from now on",
			routing: route('DELETE', accountPath('/prices')),
		},
		{
			name: 'Remove Spend Limit',
			value: 'removeSpendLimit',
			action: 'Remove the spend limit of an account',
			description: 'Let a postpaid account spend without a limit again',
			routing: route('DELETE', accountPath('/spend-limit')),
		},
		{
			name: 'Set Prices',
			value: 'setPrices',
			action: 'Set the prices of an account',
			description:
				'Give the account its own prices by service (custom pricing), replacing those it had: flat or graduated and volume tiers, for events from now on',
			routing: route('PUT', accountPath('/prices'), { preSend: [parseJsonInto('services', 'prices')] }),
		},
		{
			name: 'Set Spend Limit',
			value: 'setSpendLimit',
			action: 'Set the spend limit of an account',
			description:
				"Cap a postpaid account's spend per billing cycle: once reached, new calls and reservations are refused and Spend Limit Reached fires",
			routing: route('PUT', accountPath('/spend-limit')),
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update an account',
			description: "Change an account's name, contact e-mail, metadata, locale or time zone",
			routing: route('PATCH', accountPath()),
		},
	],
	default: 'get',
};

export const accountFields: INodeProperties[] = [
	{
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'acme',
		description: 'A unique ID for the new account, e.g. your customer number',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'id' } },
	},
	...accountIdField(
		show(
			'get',
			'update',
			'createDashboardLink',
			'getCycles',
			'closeCycles',
			'getSpendLimit',
			'setSpendLimit',
			'removeSpendLimit',
			'getPrices',
			'setPrices',
			'removePrices',
		),
	),
	{
		displayName: 'Prices (JSON)',
		name: 'prices',
		type: 'json',
		required: true,
		default: '{\n  "call_connection": { "price": { "amount": "80", "per": 60 } }\n}',
		description:
			'Prices by service code, replacing those set before: {"amount", "per"}, or {"mode": "graduated" or "volume", "tiers": [{"upTo", "amount", "per"}, …, {"amount", "per"}]}; "increments" {"first", "next"} for services billed by duration',
		displayOptions: { show: show('setPrices') },
	},
	{
		displayName: 'Amount',
		name: 'spendLimit',
		type: 'string',
		required: true,
		default: '',
		placeholder: '500.00',
		description: 'Most the account may spend per billing cycle, in the invoice currency (usage and number rents), e.g. 500.00',
		displayOptions: { show: show('setSpendLimit') },
		routing: { send: { type: 'body', property: 'amount' } },
	},
	{
		displayName: 'Expires In (Hours)',
		name: 'expiresInHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 2160 },
		default: 168,
		description: 'How long the link opens the dashboard: one hour up to 90 days (2,160 hours); a week by default',
		displayOptions: { show: show('createDashboardLink') },
		routing: { send: { type: 'body', property: 'expiresInHours' } },
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'name' } },
	},
	{
		displayName: 'Plan Name or ID',
		name: 'plan',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPlans' },
		required: true,
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'plan' } },
	},
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		options: [
			{ name: 'Monthly', value: 'month' },
			{ name: 'Yearly', value: 'year' },
		],
		default: 'month',
		description: 'How often the plan renews',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'interval' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: show('create') },
		options: [
			{
				displayName: 'Anchor',
				name: 'anchor',
				type: 'dateTime',
				default: '',
				description: 'When the first billing cycle starts; cycles run from anchor to anchor',
				routing: { send: { type: 'body', property: 'anchor' } },
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: "Where workflows write to the account's owner",
				routing: { send: { type: 'body', property: 'email' } },
			},
			displayFields[0]!,
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description:
					'Your own references as string keys and values, e.g. {"stripeCustomer": "cus_123"}; workflows read them',
				routing: { send: { preSend: [parseJsonInto('metadata', 'additionalFields.metadata')] } },
			},
			displayFields[1]!,
		],
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: show('update') },
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				routing: { send: { type: 'body', property: 'email' } },
			},
			displayFields[0]!,
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description:
					'Your own references as string keys and values, e.g. {"stripeCustomer": "cus_123"}; a null value removes a key',
				routing: { send: { preSend: [parseJsonInto('metadata', 'updateFields.metadata')] } },
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				routing: { send: { type: 'body', property: 'name' } },
			},
			displayFields[1]!,
		],
	},
	...returnAllFields(show('getAll')),
];
