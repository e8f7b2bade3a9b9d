import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, route } from '../shared/descriptions';
import { parseJsonInto } from '../shared/transport';

const show = (...operation: string[]) => ({ resource: ['plan'], operation });

export const planOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['plan'] } },
	options: [
		{
			name: 'Buy Add-On',
			value: 'buyAddOn',
			action: 'Buy extra minutes or credits for an account',
			description: "Buy extra minutes or credits for the current cycle; the pack is billed on the cycle's invoice",
			routing: route('POST', accountPath('/add-ons')),
		},
		{
			name: 'Cancel Scheduled Change',
			value: 'cancelChange',
			action: 'Cancel a scheduled plan change',
			description: 'Cancel a downgrade or interval change that waits for the end of the cycle',
			routing: route('DELETE', accountPath('/plan-change')),
		},
		{
			name: 'Cancel Subscription',
			value: 'cancelSubscription',
			action: 'Cancel the subscription of an account',
			description: 'Stop renewing at the end of the current cycle; the cycle is not refunded and usage after it is refused',
			routing: route('POST', accountPath('/cancel')),
		},
		{
			name: 'Change',
			value: 'change',
			action: 'Change the plan of an account',
			description:
				"Move the account to another plan: an upgrade applies now with a proration invoice, a downgrade at the cycle's end",
			routing: route('POST', accountPath('/plan-change')),
		},
		{
			name: 'Get Catalog',
			value: 'getCatalog',
			action: 'Get the latest catalog',
			description:
				'Get the latest catalog version as published: the JSON that Publish Catalog Version accepts, with its version number',
			routing: route('GET', '/v1/catalog'),
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many plans',
			description: "List the catalog's plans with fees, allowances, features and limits",
			routing: route('GET', '/v1/plans', { postReceive: [{ type: 'rootProperty', properties: { property: 'plans' } }] }),
		},
		{
			name: 'Preview Change',
			value: 'previewChange',
			action: 'Preview a plan change',
			description: 'Show what a plan change would do (amounts, dates, invoice lines) without changing anything',
			routing: route('POST', accountPath('/plan-change')),
		},
		{
			name: 'Publish Catalog Version',
			value: 'publishCatalog',
			action: 'Publish a catalog version',
			description:
				'Publish a new catalog version: new accounts subscribe on it, existing accounts keep theirs until they move (an admin key)',
			routing: route('POST', '/v1/catalog/versions', { preSend: [parseJsonInto('catalog', 'catalog')] }),
		},
		{
			name: 'Recommend',
			value: 'recommend',
			action: 'Recommend plans for an account',
			description:
				"Rank the plans for the account from its template, integrations and measured usage, each with a reason and what it would have cost",
			routing: route('GET', accountPath('/recommendations'), {
				postReceive: [{ type: 'rootProperty', properties: { property: 'recommendations' } }],
			}),
		},
		{
			name: 'Set Resources',
			value: 'setResources',
			action: 'Set the counted resources of an account',
			description: 'Set the documents, assistants or seats the account uses, which plan limits are checked against',
			routing: route('PUT', accountPath('/resources'), { preSend: [parseJsonInto('', 'resources')] }),
		},
		{
			name: 'Withdraw Cancellation',
			value: 'withdrawCancellation',
			action: 'Withdraw the cancellation of a subscription',
			description: 'Keep renewing a cancelled subscription whose cycle has not ended yet',
			routing: route('DELETE', accountPath('/cancel')),
		},
	],
	default: 'getAll',
};

export const planFields: INodeProperties[] = [
	...accountIdField(show('change', 'previewChange', 'cancelChange', 'setResources', 'cancelSubscription', 'withdrawCancellation', 'recommend', 'buyAddOn')),
	{
		displayName: 'Add-On Name or ID',
		name: 'addOn',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAddOns' },
		required: true,
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show: show('buyAddOn') },
		routing: { send: { type: 'body', property: 'addOn' } },
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 1,
		description: 'How many packs',
		displayOptions: { show: show('buyAddOn') },
		routing: { send: { type: 'body', property: 'quantity' } },
	},
	{
		displayName: 'Plan Name or ID',
		name: 'targetPlan',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPlans' },
		required: true,
		default: '',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show: show('change', 'previewChange') },
		routing: { send: { type: 'body', property: 'plan' } },
	},
	{
		displayName: 'Billing Interval',
		name: 'targetInterval',
		type: 'options',
		options: [
			{ name: 'Keep Current', value: '' },
			{ name: 'Monthly', value: 'month' },
			{ name: 'Yearly', value: 'year' },
		],
		default: '',
		displayOptions: { show: show('change', 'previewChange') },
		routing: { send: { type: 'body', property: 'interval', value: '={{ $value || undefined }}' } },
	},
	{
		displayName: 'Catalog Version',
		name: 'catalogVersion',
		type: 'options',
		options: [
			{ name: 'Keep', value: 'keep', description: "The plan as the account's own catalog version has it" },
			{ name: 'Latest', value: 'latest', description: 'The plan as the latest catalog version has it: the account moves to it' },
		],
		default: 'keep',
		displayOptions: { show: show('change', 'previewChange') },
		routing: { send: { type: 'body', property: 'catalogVersion' } },
	},
	{
		displayName: 'Catalog (JSON)',
		name: 'catalog',
		type: 'json',
		required: true,
		default: '{}',
		description: 'The whole catalog, in the form Get Catalog returns it (its catalog property)',
		displayOptions: { show: show('publishCatalog') },
	},
	{
		displayName: 'Preview',
		name: 'preview',
		type: 'hidden',
		default: true,
		displayOptions: { show: show('previewChange') },
		routing: { send: { type: 'body', property: 'preview' } },
	},
	{
		displayName: 'Resources (JSON)',
		name: 'resources',
		type: 'json',
		required: true,
		default: '{\n  "documents": 0,\n  "assistants": 0\n}',
		description: 'Counts by limit code, replacing the ones set before',
		displayOptions: { show: show('setResources') },
	},
];
