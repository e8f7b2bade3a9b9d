import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';
import { creditNoteLines, toBinaryFile } from '../shared/transport';

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
			name: 'Create Credit Note',
			value: 'createCreditNote',
			action: 'Create a credit note for an invoice',
			description:
				'Credit part or all of an invoice: lines of it, or an amount spread over its lines; VAT is reversed as the invoice charged it',
			routing: route('POST', invoicePath('/credit-notes'), { preSend: [creditNoteLines] }),
		},
		{
			name: 'Download',
			value: 'downloadPdf',
			action: 'Download an invoice as a file',
			description:
				'Get the invoice as a file in a binary field, e.g. to attach it to an e-mail: its PDF, its ZUGFeRD PDF or its XRechnung XML',
			// The XRechnung is the .xml; both PDFs are the .pdf, the ZUGFeRD one asked by its format.
			routing: route('GET', invoicePath(`{{ $parameter.downloadFormat === 'xrechnung' ? '.xml' : '.pdf' }}`)),
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
			name: 'Issue Draft',
			value: 'issue',
			action: 'Issue a draft invoice',
			description:
				"Issue an invoice held as a draft for the buyer's address: it takes its number now; refused while the account has no billing address",
			routing: route('POST', invoicePath('/issue')),
		},
		{
			name: 'Record Payment',
			value: 'recordPayment',
			action: 'Record an invoice payment',
			description: "Record that an invoice was paid, or that its payment failed and why; a failure shows on the account",
			routing: route('POST', invoicePath('/payment')),
		},
		{
			name: 'Void',
			value: 'void',
			action: 'Void an invoice',
			description: 'Void an unpaid invoice: it asks for nothing any more, and what it settled from the balance is given back',
			routing: route('POST', invoicePath('/void')),
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
		displayOptions: { show: show('get', 'downloadPdf', 'issue', 'recordPayment', 'void', 'createCreditNote') },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Billed twice',
		description: 'Why the invoice is corrected; kept with the correction and printed on a credit note',
		displayOptions: { show: show('void', 'createCreditNote') },
		routing: { send: { type: 'body', property: 'reason' } },
	},
	{
		displayName: 'Credit',
		name: 'creditBy',
		type: 'options',
		options: [
			{ name: 'Lines', value: 'lines', description: "Lines of the invoice, each by a quantity at its unit price or by an amount" },
			{ name: 'Amount', value: 'amount', description: "One amount, spread over the invoice's lines in their order" },
		],
		default: 'lines',
		displayOptions: { show: show('createCreditNote') },
	},
	{
		displayName: 'Lines',
		name: 'creditLines',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Line',
		default: {},
		description: 'The invoice lines to credit',
		displayOptions: { show: { ...show('createCreditNote'), creditBy: ['lines'] } },
		options: [
			{
				displayName: 'Line',
				name: 'line',
				values: [
					{
						displayName: 'Line Number',
						name: 'line',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: "The line's position in the invoice's lines, counted from 0",
					},
					{
						displayName: 'By',
						name: 'by',
						type: 'options',
						options: [
							{ name: 'Quantity', value: 'quantity', description: "A quantity at the line's unit price" },
							{ name: 'Amount', value: 'amount', description: 'An amount of the invoice currency, net' },
						],
						default: 'amount',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: '10.00',
						description: 'The quantity, or the net amount (at most 2 decimals), as a decimal',
					},
				],
			},
		],
	},
	{
		displayName: 'Amount',
		name: 'creditAmount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '10.00',
		description: 'The net amount to credit, in the invoice currency (at most 2 decimals)',
		displayOptions: { show: { ...show('createCreditNote'), creditBy: ['amount'] } },
		routing: { send: { type: 'body', property: 'amount' } },
	},
	{
		displayName: 'Refund',
		name: 'refund',
		type: 'options',
		options: [
			{ name: 'External', value: 'external', description: 'Refunded outside CreditMeter, or taken off what an unpaid invoice asks' },
			{ name: 'Balance', value: 'balance', description: "Credited to the account's balance (a paid invoice of a prepaid account)" },
		],
		default: 'external',
		displayOptions: { show: show('createCreditNote') },
		routing: { send: { type: 'body', property: 'refund' } },
	},
	{
		displayName: 'Reference',
		name: 'creditReference',
		type: 'string',
		default: '',
		placeholder: 'ticket-7',
		description:
			'Your key for this credit note, e.g. the support ticket: sent again (a retried execution), the same note is answered instead of a second one. Leave empty for none.',
		displayOptions: { show: show('createCreditNote') },
		routing: { send: { type: 'body', property: 'reference', value: '={{ $value === "" ? undefined : $value }}' } },
	},
	{
		displayName: 'Format',
		name: 'downloadFormat',
		type: 'options',
		options: [
			{ name: 'PDF', value: 'pdf', description: 'The invoice as printed' },
			{
				name: 'ZUGFeRD PDF',
				value: 'zugferd',
				description: 'The PDF as PDF/A-3 with the EN 16931 e-invoice attached (Factur-X), for accounting software',
			},
			{
				name: 'XRechnung XML',
				value: 'xrechnung',
				description: 'The EN 16931 e-invoice alone: XRechnung 3.0 in the CII syntax',
			},
		],
		default: 'pdf',
		description:
			'Which file: an e-invoice is refused where the invoice lacks a detail EN 16931 requires, such as the buyer\'s address',
		displayOptions: { show: show('downloadPdf') },
		routing: {
			send: { type: 'query', property: 'format', value: '={{ $value === "zugferd" ? "zugferd" : "pdf" }}' },
		},
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
