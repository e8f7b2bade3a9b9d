import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';
import { toBinaryFile } from '../shared/transport';

const show = (...operation: string[]) => ({ resource: ['invoice'], operation });
const invoicePath = (rest = '') => `=/v1/invoices/{{encodeURIComponent($parameter.invoiceId)}}${rest}`;

export const invoiceOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['invoice'] } },
	options: [
		{
			name: 'Download PDF',
			value: 'downloadPdf',
			action: 'Download an invoice as PDF',
			description: 'Get the invoice as a PDF file in a binary field, e.g. to attach it to an e-mail',
			routing: route('GET', invoicePath('.pdf')),
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an invoice',
			description: 'Get an invoice: lines, VAT, totals, status and payments',
			routing: route('GET', invoicePath()),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many invoices',
			description: "List an account's invoices, newest first",
			routing: route('GET', accountPath('/invoices'), {
				postReceive: [{ type: 'rootProperty', properties: { property: 'invoices' } }],
			}),
		},
		{
			name: 'Get Upcoming',
			value: 'getUpcoming',
			action: 'Get the upcoming invoice',
			description:
				"Get the invoice the account's current cycle will issue if no more usage comes: lines, VAT, totals and when it is issued",
			routing: route('GET', accountPath('/upcoming-invoice')),
		},
		{
			name: 'Record Payment',
			value: 'recordPayment',
			action: 'Record an invoice payment',
			description: "Record that an invoice was paid, or that its payment failed and why; a failure shows on the account",
			routing: route('POST', invoicePath('/payment')),
		},
	],
	default: 'getAll',
};

export const invoiceFields: INodeProperties[] = [
	...accountIdField(show('getAll', 'getUpcoming')),
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '',
		description: 'The invoice ID (inv_…), as Get Many lists it',
		displayOptions: { show: show('get', 'downloadPdf', 'recordPayment') },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: show('downloadPdf') },
		routing: {
			request: { encoding: 'arraybuffer', json: false },
			output: { postReceive: [toBinaryFile] },
		},
	},
	{
		displayName: 'Outcome',
		name: 'paymentStatus',
		type: 'options',
		options: [
			{ name: 'Paid', value: 'paid' },
			{ name: 'Failed', value: 'failed' },
		],
		default: 'paid',
		displayOptions: { show: show('recordPayment') },
		routing: { send: { type: 'body', property: 'status' } },
	},
	{
		displayName: 'Failure Reason',
		name: 'failureReason',
		type: 'options',
		options: [
			{ name: 'Card Declined', value: 'card_declined' },
			{ name: 'Expired Card', value: 'expired_card' },
			{ name: 'Insufficient Funds', value: 'insufficient_funds' },
		],
		default: 'card_declined',
		displayOptions: { show: { ...show('recordPayment'), paymentStatus: ['failed'] } },
		routing: { send: { type: 'body', property: 'reason' } },
	},
	{
		displayName: 'Payment Reference',
		name: 'paymentReference',
		type: 'string',
		default: '',
		description: "The payment provider's ID of the attempt, e.g. a Stripe charge ID",
		displayOptions: { show: show('recordPayment') },
		routing: { send: { type: 'body', property: 'reference', value: '={{ $value || undefined }}' } },
	},
];
