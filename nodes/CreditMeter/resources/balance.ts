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
			name: 'Adjust',
			value: 'adjust',
			action: 'Adjust the balance of an account',
			description:
				'Credit (a positive amount) or debit (a negative one) the balance, saying why; the same reference again adjusts nothing and returns the first adjustment',
			routing: route('POST', accountPath('/adjustments')),
		},
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
			description:
				'Get the ledger entries (top-ups, grants, usage debits, adjustments with their reason), oldest first, each with the API key that made it',
			routing: route('GET', accountPath('/ledger'), {
				qs: { limit: '={{ $parameter.limit }}' },
				postReceive: [{ type: 'rootProperty', properties: { property: 'entries' } }],
			}),
		},
	],
	default: 'get',
};

export const balanceFields: INodeProperties[] = [
	...accountIdField(show('adjust', 'get', 'getLedger')),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '-120.50',
		description:
			"Positive to credit, negative to debit, in the catalog's balance unit, as a decimal such as 500 or -120.50. A debit may take the balance down to zero and no further.",
		displayOptions: { show: show('adjust') },
		routing: { send: { type: 'body', property: 'amount' } },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Goodwill credit for the outage on 9 March',
		description: 'Why the balance is adjusted (up to 500 characters); the ledger shows it with the entry',
		displayOptions: { show: show('adjust') },
		routing: { send: { type: 'body', property: 'reason' } },
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ticket-4711',
		description:
			'Your ID for this adjustment, such as the support ticket; it makes the adjustment idempotent: the same reference again adjusts nothing',
		displayOptions: { show: show('adjust') },
		routing: { send: { type: 'body', property: 'reference' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: show('adjust') },
		options: [
			{
				displayName: 'Expires At',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description: 'When unused credit of this adjustment lapses; for a credit only',
				routing: { send: { type: 'body', property: 'expiresAt' } },
			},
		],
	},
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
