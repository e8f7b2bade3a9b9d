import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, route } from '../shared/descriptions';
import { toBinaryFile } from '../shared/transport';

const show = (...operation: string[]) => ({ resource: ['report'], operation });

export const reportOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['report'] } },
	options: [
		{
			name: 'Explain Charge',
			value: 'explain',
			action: 'Explain the charge of an event',
			description:
				'Explain what an event cost and why: rates, increments, included allowance, as data and as sentences a customer can read',
			routing: route('GET', '=/v1/events/{{encodeURIComponent($parameter.eventId)}}/explanation', {
				qs: { account: '={{ $parameter.accountId }}' },
			}),
		},
		{
			name: 'Find Spikes',
			value: 'spikes',
			action: 'Find days that cost far more than usual',
			description:
				'Find days whose cost is far above the usual, with the campaign, number, assistant and channel that drove them',
			routing: route('GET', '/v1/reports/spikes', {
				qs: { account: '={{ $parameter.accountId }}', factor: '={{ $parameter.factor }}' },
			}),
		},
		{
			name: 'Forecast',
			value: 'forecast',
			action: 'Forecast the cost of the running cycle',
			description: "Get the running cycle's cost so far and a forecast to its end from the run rate",
			routing: route('GET', '/v1/reports/forecast', { qs: { account: '={{ $parameter.accountId }}' } }),
		},
		{
			name: 'Get Costs',
			value: 'costs',
			action: 'Get the costs of a period',
			description:
				'Get what was charged in a period, grouped by channel, service, assistant, campaign, number, day or month, with totals and included allowance used; as JSON or as a CSV file',
			routing: route('GET', '/v1/reports/costs', {
				qs: {
					account: '={{ ($parameter.accountId || $parameter.account) || undefined }}',
					period: '={{ $parameter.period === "custom" ? undefined : $parameter.period }}',
					from: '={{ $parameter.period === "custom" ? $parameter.from : undefined }}',
					to: '={{ $parameter.period === "custom" ? $parameter.to : undefined }}',
					groupBy: '={{ $parameter.groupBy.join(",") || undefined }}',
					format: '={{ $parameter.output === "csv" ? "csv" : "json" }}',
				},
			}),
		},
	],
	default: 'costs',
};

export const reportFields: INodeProperties[] = [
	// Version 1 named the account of Get Costs apart from the other operations' (and its empty
	// default with the default period failed on the server); kept for workflows made with it.
	{
		displayName: 'Account ID',
		name: 'account',
		type: 'string',
		default: '',
		placeholder: 'acme',
		description: 'The account to report on; leave empty for all accounts (custom periods only)',
		displayOptions: { show: { ...show('costs'), '@version': [1] } },
	},
	...accountIdField(show('explain', 'forecast', 'spikes')),
	// From version 2 every operation's account is one parameter: required for a cycle, which belongs
	// to one account; optional for a custom period, which may span every account.
	...accountIdField({ ...show('costs'), period: ['previous_cycle', 'current_cycle'] }, { description: 'The account whose cycle to report on', since: 2 }),
	...accountIdField({ ...show('costs'), period: ['custom'] }, { description: 'The account to report on; leave empty for every account', required: false, since: 2 }),
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the usage event whose charge to explain',
		displayOptions: { show: show('explain') },
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Previous Cycle', value: 'previous_cycle', description: "The account's last closed billing cycle" },
			{ name: 'Current Cycle', value: 'current_cycle', description: "The account's running billing cycle" },
			{ name: 'Custom', value: 'custom', description: 'From and to, on whole hours (UTC)' },
		],
		default: 'previous_cycle',
		displayOptions: { show: show('costs') },
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the period (inclusive), on a whole hour (UTC)',
		displayOptions: { show: { ...show('costs'), period: ['custom'] } },
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'End of the period (exclusive), on a whole hour (UTC)',
		displayOptions: { show: { ...show('costs'), period: ['custom'] } },
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: [
			{ name: 'Assistant', value: 'assistant' },
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Channel', value: 'channel' },
			{ name: 'Day', value: 'day' },
			{ name: 'Month', value: 'month' },
			{ name: 'Phone Number', value: 'number' },
			{ name: 'Service', value: 'service' },
		],
		default: ['channel'],
		description: 'The dimensions to group the costs by, in this order',
		displayOptions: { show: show('costs') },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json', description: 'One item: the groups, totals and allowances' },
			{
				name: 'CSV File',
				value: 'csv',
				description: 'One item with the report as a CSV file in a binary property',
			},
		],
		default: 'json',
		displayOptions: { show: show('costs') },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { ...show('costs'), output: ['csv'] } },
		routing: {
			request: { encoding: 'arraybuffer', json: false },
			output: { postReceive: [toBinaryFile] },
		},
	},
	{
		displayName: 'Factor',
		name: 'factor',
		type: 'number',
		typeOptions: { minValue: 1.5, maxValue: 100 },
		default: 3,
		description: 'A day is a spike when it cost more than this many times the median day',
		displayOptions: { show: show('spikes') },
	},
];
