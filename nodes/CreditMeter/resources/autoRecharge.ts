import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';

const show = (...operation: string[]) => ({ resource: ['autoRecharge'], operation });

export const autoRechargeOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['autoRecharge'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get the automatic recharge settings',
			description: 'Get the auto-recharge settings of an account and the request it has open',
			routing: route('GET', accountPath('/auto-recharge')),
		},
		{
			name: 'Set',
			value: 'set',
			action: 'Set the automatic recharge settings',
			description:
				'Ask for a recharge (recharge.requested) whenever the balance falls below a threshold, within a monthly limit',
			routing: route('PUT', accountPath('/auto-recharge')),
		},
	],
	default: 'get',
};

export const autoRechargeFields: INodeProperties[] = [
	...accountIdField(show('get', 'set')),
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether auto-recharge is on',
		displayOptions: { show: show('set') },
		routing: { send: { type: 'body', property: 'enabled' } },
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'string',
		required: true,
		default: '',
		placeholder: '50',
		description: 'Recharge when the balance falls below this amount',
		displayOptions: { show: show('set') },
		routing: { send: { type: 'body', property: 'threshold' } },
	},
	{
		displayName: 'Recharge By',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Fixed Amount', value: 'amount', description: 'Ask for the same amount each time' },
			{ name: 'Target Balance', value: 'targetBalance', description: 'Ask for what brings the balance back to a target' },
		],
		default: 'amount',
		displayOptions: { show: show('set') },
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '100',
		displayOptions: { show: { ...show('set'), mode: ['amount'] } },
		routing: { send: { type: 'body', property: 'amount' } },
	},
	{
		displayName: 'Target Balance',
		name: 'targetBalance',
		type: 'string',
		required: true,
		default: '',
		placeholder: '500',
		displayOptions: { show: { ...show('set'), mode: ['targetBalance'] } },
		routing: { send: { type: 'body', property: 'targetBalance' } },
	},
	{
		displayName: 'Monthly Limit',
		name: 'monthlyLimit',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1000',
		description: 'The most that may be requested in a calendar month',
		displayOptions: { show: show('set') },
		routing: { send: { type: 'body', property: 'monthlyLimit' } },
	},
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How long to wait for the top-up before the request counts as failed',
		displayOptions: { show: show('set') },
		routing: { send: { type: 'body', property: 'timeoutMinutes' } },
	},
];
