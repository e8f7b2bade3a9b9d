import type { INodeProperties } from 'n8n-workflow';
import { answerWith, route } from '../shared/descriptions';
import { splitThresholds } from '../shared/transport';

const show = (...operation: string[]) => ({ resource: ['alertRule'], operation });
const rulePath = '=/v1/alert-rules/{{encodeURIComponent($parameter.ruleId)}}';

export const alertRuleOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['alertRule'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create an alert rule',
			description:
				'Alert when a share of an included allowance is used, the balance falls below an amount, or cycle spend passes one',
			routing: route('POST', '/v1/alert-rules', { preSend: [splitThresholds] }),
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete an alert rule',
			description: 'Delete an alert rule; it alerts no more',
			routing: route('DELETE', rulePath, { postReceive: [answerWith({ deleted: true })] }),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many alert rules',
			description: "List alert rules, an account's own and the defaults for all",
			routing: route('GET', '/v1/alert-rules', {
				qs: { account: '={{ $parameter.filterAccount || undefined }}' },
				postReceive: [{ type: 'rootProperty', properties: { property: 'rules' } }],
			}),
		},
	],
	default: 'create',
};

export const alertRuleFields: INodeProperties[] = [
	{
		displayName: 'Rule Name or ID',
		name: 'ruleId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAlertRules' },
		required: true,
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show: show('delete') },
	},
	{
		displayName: 'Account ID',
		name: 'filterAccount',
		type: 'string',
		default: '',
		description: "Only this account's rules and the defaults; empty for all rules",
		displayOptions: { show: show('getAll') },
	},
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{
				name: 'Allowance Percent',
				value: 'allowance_percent',
				description: 'A share of an included allowance is used, e.g. 80% of the monthly minutes',
			},
			{ name: 'Balance Below', value: 'balance_below', description: 'The balance falls below an amount' },
			{ name: 'Cycle Spend Above', value: 'cycle_spend_above', description: 'Spend in the billing cycle passes an amount' },
		],
		default: 'allowance_percent',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'kind' } },
	},
	{
		displayName: 'Meter Name or ID',
		name: 'meter',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getMeters' },
		required: true,
		default: 'minutes',
		description:
			'The allowance to watch, as the catalog counts it (minutes, conversations). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...show('create'), kind: ['allowance_percent'] } },
		routing: { send: { type: 'body', property: 'meter' } },
	},
	{
		displayName: 'Thresholds',
		name: 'thresholds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '50, 80, 100',
		description: 'Comma-separated: percents for an allowance, amounts for balance and spend; each fires once per crossing',
		displayOptions: { show: show('create') },
		routing: { send: { type: 'body', property: 'thresholds' } },
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
				displayName: 'Account ID',
				name: 'account',
				type: 'string',
				default: '',
				description: 'The account the rule watches; without it the rule is a default for every account',
				routing: { send: { type: 'body', property: 'account' } },
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				routing: { send: { type: 'body', property: 'description' } },
			},
		],
	},
];
