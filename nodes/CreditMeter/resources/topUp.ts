import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';

const show = { resource: ['topUp'], operation: ['create'] };

export const topUpOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['topUp'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Top up the balance of an account',
			description:
				'Add prepaid credit after the customer paid; the same reference again adds nothing and returns the first top-up',
			routing: route('POST', accountPath('/topups')),
		},
	],
	default: 'create',
};

export const topUpFields: INodeProperties[] = [
	...accountIdField(show),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '100.00',
		description: "The credit to add, in the catalog's balance unit, as a decimal such as 100.00",
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'amount' } },
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'pi_3Q...',
		description:
			"The payment's ID (or a recharge request's reference); it makes the top-up idempotent",
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'reference' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Expires At',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description: 'When unused credit of this top-up lapses',
				routing: { send: { type: 'body', property: 'expiresAt' } },
			},
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1000 },
				default: 0,
				description: 'Grants with a higher priority are drawn first',
				routing: { send: { type: 'body', property: 'priority' } },
			},
		],
	},
];
