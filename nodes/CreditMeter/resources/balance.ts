import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';

const show = (...operation: string[]) => ({ resource: ['balance'], operation });

export const balanceOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['balance'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get the balance of an account',
			description:
				'Get the balance, what is held and available, the status, each included allowance (used, remaining) and the grants',
			routing: route('GET', accountPath('/balance')),
		},
		{
			name: 'Get Ledger',
			value: 'getLedger',
			action: 'Get the ledger of an account',
			description: 'Get the ledger entries (top-ups, grants, usage debits), oldest first',
			routing: route('GET', accountPath('/ledger'), {
				qs: { limit: '={{ $parameter.limit }}' },
				postReceive: [{ type: 'rootProperty', properties: { property: 'entries' } }],
			}),
		},
	],
	default: 'get',
};

export const balanceFields: INodeProperties[] = [
	...accountIdField(show('get', 'getLedger')),
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: show('getLedger') },
	},
];
