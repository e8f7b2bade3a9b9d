import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';

const show = { resource: ['topUp'], operation: ['create'] };
const showFor = (...operation: string[]) => ({ resource: ['topUp'], operation });
const requestPath = (rest = '') => `=/v1/topup-requests/{{encodeURIComponent($parameter.requestId)}}${rest}`;

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
				'Add prepaid credit after the customer paid, with its invoice; the same reference again adds nothing and returns the first top-up',
			routing: route('POST', accountPath('/topups')),
		},
		{
			name: 'Get Request',
			value: 'getRequest',
			action: 'Get a top up request',
			description: "Get a customer's request to buy balance: amount, price, checkout link and whether it is paid",
			routing: route('GET', requestPath()),
		},
		{
			name: 'Send Checkout Link',
			value: 'sendCheckoutLink',
			action: 'Send the checkout link of a top up request',
			description:
				"Answer a customer's top-up request with the link where they pay; their dashboard offers it at once",
			routing: route('POST', requestPath('/checkout')),
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
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'tur_…',
		description: "The request's ID, as the Top-Up Requested trigger event carries it (data.request)",
		displayOptions: { show: showFor('getRequest', 'sendCheckoutLink') },
	},
	{
		displayName: 'Checkout URL',
		name: 'checkoutUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://checkout.stripe.com/c/pay/cs_…',
		description: 'Where the customer pays, e.g. the URL of a Stripe Checkout session',
		displayOptions: { show: showFor('sendCheckoutLink') },
		routing: { send: { type: 'body', property: 'url' } },
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
				displayName: 'Invoice',
				name: 'invoice',
				type: 'boolean',
				default: true,
				description:
					'Whether to issue an invoice for the top-up. Left out, it is invoiced when it was paid for: Paid Net is given, or the reference is a top-up request or an auto-recharge request.',
				routing: { send: { type: 'body', property: 'invoice' } },
			},
			{
				displayName: 'Paid Currency',
				name: 'paidCurrency',
				type: 'string',
				default: 'EUR',
				placeholder: 'EUR',
				description: "The currency of Paid Net: the catalog's invoice currency",
				routing: { send: { type: 'body', property: 'paid.currency' } },
			},
			{
				displayName: 'Paid Net',
				name: 'paidNet',
				type: 'string',
				default: '',
				placeholder: '100.00',
				description:
					'What the customer paid, net of VAT, such as 100.00: the top-up is invoiced at it and the invoice marked paid. Give Paid Currency with it.',
				routing: { send: { type: 'body', property: 'paid.net' } },
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
