import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';

const show = (...operation: string[]) => ({ resource: ['phoneNumber'], operation });

export const phoneNumberOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['phoneNumber'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many phone numbers',
			description: "List the account's rented numbers with their monthly rent",
			routing: route('GET', accountPath('/phone-numbers'), {
				qs: { status: '={{ $parameter.includeReleased ? "all" : "active" }}' },
				postReceive: [{ type: 'rootProperty', properties: { property: 'phoneNumbers' } }],
			}),
		},
		{
			name: 'Release',
			value: 'release',
			action: 'Release a phone number',
			description: 'Stop renting a number: no rent from the next cycle on, nothing refunded',
			routing: route('DELETE', `${accountPath('/phone-numbers/')}{{encodeURIComponent($parameter.phoneNumberId)}}`),
		},
		{
			name: 'Rent',
			value: 'rent',
			action: 'Rent a phone number',
			description:
				"Rent a dedicated number for the account; the rest of the cycle's rent is charged now, the full rent each later cycle",
			routing: route('POST', accountPath('/phone-numbers')),
		},
	],
	default: 'rent',
};

export const phoneNumberFields: INodeProperties[] = [
	...accountIdField(show('rent', 'release', 'getAll')),
	{
		displayName: 'Number',
		name: 'number',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+493012345678',
		description: 'The number in E.164 form, as the telephony provider assigned it',
		displayOptions: { show: show('rent') },
		routing: { send: { type: 'body', property: 'number' } },
	},
	{
		displayName: 'Type',
		name: 'numberType',
		type: 'options',
		options: [
			{ name: 'Local', value: 'local', description: 'Telephony and WhatsApp' },
			{ name: 'Mobile', value: 'mobile', description: 'Telephony, WhatsApp and SMS' },
		],
		default: 'local',
		displayOptions: { show: show('rent') },
		routing: { send: { type: 'body', property: 'type' } },
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'string',
		required: true,
		default: 'DE',
		description: "The number's country as an ISO 3166 code; the rent may differ by country",
		displayOptions: { show: show('rent') },
		routing: { send: { type: 'body', property: 'country' } },
	},
	{
		displayName: 'Phone Number ID',
		name: 'phoneNumberId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID the rental got (num_…), as Get Many lists it',
		displayOptions: { show: show('release') },
	},
	{
		displayName: 'Include Released',
		name: 'includeReleased',
		type: 'boolean',
		default: false,
		description: 'Whether to list released numbers too',
		displayOptions: { show: show('getAll') },
	},
];
