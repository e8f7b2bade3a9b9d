import { NodeConnectionTypes, type INodeProperties, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { getAddOns, getEventFields, getEventTypes, getMeters, getPlans } from './shared/catalogOptions';
import { getAlertRules, searchAccounts } from './shared/resourceLists';
import { accountFields, accountOperations } from './resources/account';
import { alertRuleFields, alertRuleOperations } from './resources/alertRule';
import { authorizationFields, authorizationOperations } from './resources/authorize';
import { autoRechargeFields, autoRechargeOperations } from './resources/autoRecharge';
import { balanceFields, balanceOperations } from './resources/balance';
import { invoiceFields, invoiceOperations } from './resources/invoice';
import { phoneNumberFields, phoneNumberOperations } from './resources/phoneNumber';
import { planFields, planOperations } from './resources/plan';
import { reportFields, reportOperations } from './resources/report';
import { reservationFields, reservationOperations } from './resources/reservation';
import { topUpFields, topUpOperations } from './resources/topUp';
import { usageFields, usageOperations } from './resources/usage';
import { fromVersion } from './shared/descriptions';
import { registerNodeProperties } from './shared/transport';

const RESOURCES = [
	{ name: 'Account', value: 'account' },
	{ name: 'Alert Rule', value: 'alertRule' },
	{ name: 'Authorization', value: 'authorization' },
	{ name: 'Auto-Recharge', value: 'autoRecharge' },
	{ name: 'Balance', value: 'balance' },
	{ name: 'Invoice', value: 'invoice' },
	{ name: 'Phone Number', value: 'phoneNumber' },
	{ name: 'Plan', value: 'plan' },
	{ name: 'Report', value: 'report' },
	{ name: 'Reservation', value: 'reservation' },
	{ name: 'Top-Up', value: 'topUp' },
	{ name: 'Usage', value: 'usage' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES,
		default: 'usage',
		displayOptions: { show: { '@version': [1] } },
	},
	// From version 2 the node starts on a read (Balance → Get): dropped onto an AI Agent as a tool,
	// it spends nothing until told to.
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES,
		default: 'balance',
		displayOptions: { show: fromVersion(2) },
	},
	accountOperations,
	alertRuleOperations,
	authorizationOperations,
	autoRechargeOperations,
	balanceOperations,
	invoiceOperations,
	phoneNumberOperations,
	planOperations,
	reportOperations,
	reservationOperations,
	topUpOperations,
	usageOperations,
	...accountFields,
	...alertRuleFields,
	...authorizationFields,
	...autoRechargeFields,
	...balanceFields,
	...invoiceFields,
	...phoneNumberFields,
	...planFields,
	...reportFields,
	...reservationFields,
	...topUpFields,
	...usageFields,
];

registerNodeProperties(properties);

export class CreditMeter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CreditMeter',
		name: 'creditMeter',
		icon: { light: 'file:creditmeter.svg', dark: 'file:creditmeter.dark.svg' },
		group: ['transform'],
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Meter and bill AI-assistant usage with CreditMeter: record calls and chats, check balances, top up, control spend',
		defaults: { name: 'CreditMeter' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'creditMeterApi', required: true }],
		requestDefaults: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			// The server's own error (message, field, code) is turned into the node's error by checkResponse.
			ignoreHttpStatusErrors: true,
		},
		properties,
	};

	methods = {
		loadOptions: { getAddOns, getAlertRules, getEventTypes, getMeters, getPlans },
		listSearch: { searchAccounts },
		resourceMapping: { getEventFields },
	};
}
