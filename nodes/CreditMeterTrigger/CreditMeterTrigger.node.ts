import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { serverError } from '../CreditMeter/shared/transport';
import { verifySignature } from './signature';

/** Every event type the server's webhook API sends. */
export const EVENT_TYPES = [
	{ name: 'Balance Adjusted', value: 'balance.adjusted', description: 'An operator credited or debited the balance, saying why' },
	{ name: 'Balance Depleted', value: 'balance.depleted', description: 'The balance reached zero or less' },
	{ name: 'Balance Low', value: 'balance.low', description: 'The balance fell below an alert threshold' },
	{ name: 'Credit Note Created', value: 'credit_note.created', description: 'An invoice was credited, in part or in full, by a credit note' },
	{ name: 'Cycle Closed', value: 'cycle.closed', description: 'A billing cycle ended' },
	{ name: 'Invoice Created', value: 'invoice.created', description: 'An invoice was issued' },
	{ name: 'Invoice Draft Blocked', value: 'invoice.draft_blocked', description: "An invoice to a business is held as a draft until the buyer's address is given" },
	{ name: 'Invoice Payment Failed', value: 'invoice.payment_failed', description: 'An invoice could not be collected' },
	{ name: 'Invoice Voided', value: 'invoice.voided', description: 'An unpaid invoice was voided: it asks for nothing any more' },
	{ name: 'Number Released', value: 'number.released', description: 'A phone number was given back' },
	{ name: 'Number Rented', value: 'number.rented', description: 'A phone number was rented' },
	{ name: 'Plan Change Failed', value: 'plan.change_failed', description: 'A scheduled downgrade was not applied: the account outgrew the lower plan' },
	{ name: 'Plan Change Scheduled', value: 'plan.change_scheduled', description: 'A downgrade waits for the next cycle' },
	{ name: 'Plan Changed', value: 'plan.changed', description: 'An account moved to another plan' },
	{ name: 'Recharge Failed', value: 'recharge.failed', description: 'No top-up answered a recharge request in time' },
	{ name: 'Recharge Requested', value: 'recharge.requested', description: 'Auto-recharge asks you to charge the customer and top up' },
	{ name: 'Service Paused', value: 'service.paused', description: 'A prepaid account ran out of credit' },
	{ name: 'Service Resumed', value: 'service.resumed', description: 'A paused account can spend again' },
	{ name: 'Spend Limit Reached', value: 'spend_limit.reached', description: "A postpaid account's spend in the cycle reached its spend limit: new calls are refused" },
	{ name: 'Top-Up Requested', value: 'topup.requested', description: 'A prepaid customer asked on the dashboard to buy balance: answer with a checkout link' },
	{ name: 'Top-Up Succeeded', value: 'topup.succeeded', description: 'Credit was added to an account' },
	{ name: 'Usage Amended', value: 'usage.amended', description: 'A recorded event was corrected: its earlier version voided, the new data charged' },
	{ name: 'Usage Threshold Reached', value: 'usage.threshold_reached', description: 'A share of an included allowance was used, e.g. 80% of the minutes' },
	{ name: 'Usage Voided', value: 'usage.voided', description: 'A recorded event was voided: what it cost was given back' },
];

interface Subscription {
	webhookId?: string;
	secret?: string;
	/** The webhook-ids that started the workflow lately, newest last: a redelivery starts nothing. */
	started?: string[];
}

/** How many webhook-ids each trigger keeps: far more than the server redelivers within its retries. */
const REMEMBERED_IDS = 1000;

/**
 * The webhook-ids seen in this process, by workflow and node. The workflow's static data keeps
 * them too, but is saved only once an execution ends: a redelivery arriving meanwhile is caught here.
 */
const startedHere = new Map<string, Set<string>>();

function alreadyStarted(key: string, subscription: Subscription, id: string): boolean {
	return startedHere.get(key)?.has(id) === true || (subscription.started ?? []).includes(id);
}

function rememberStarted(key: string, subscription: Subscription, id: string): void {
	const ids = startedHere.get(key) ?? new Set<string>();
	ids.add(id);
	// A Set iterates in insertion order: the first is the oldest.
	if (ids.size > REMEMBERED_IDS) ids.delete(ids.values().next().value as string);
	startedHere.set(key, ids);
	subscription.started = [...(subscription.started ?? []), id].slice(-REMEMBERED_IDS);
}

/** The account an event is about: every event's data names it. */
function accountOf(body: IDataObject): string | undefined {
	const data = (body.data ?? {}) as IDataObject;
	return typeof data.account === 'string' ? data.account : undefined;
}

export class CreditMeterTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CreditMeter Trigger',
		name: 'creditMeterTrigger',
		icon: { light: 'file:creditmeter.svg', dark: 'file:creditmeter.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when CreditMeter reports usage, balance, recharge or billing events',
		defaults: { name: 'CreditMeter Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'creditMeterApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_TYPES,
				default: [],
				description: 'The events that start the workflow',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Account IDs',
						name: 'accounts',
						type: 'string',
						default: '',
						placeholder: 'acme, globex',
						description:
							'Only events of these accounts start the workflow, separated by commas; events of every account when empty',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const subscription = this.getWorkflowStaticData('node') as Subscription;
				if (!subscription.webhookId) return false;
				const response = await creditMeterRequest.call(this, 'GET', `/v1/webhooks/${encodeURIComponent(subscription.webhookId)}`);
				const endpoint = response.body as IDataObject;
				if (response.statusCode === 404 || endpoint.url !== this.getNodeWebhookUrl('default') || endpoint.status === 'disabled') {
					delete subscription.webhookId;
					delete subscription.secret;
					return false;
				}
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const events = this.getNodeParameter('events') as string[];
				const response = await creditMeterRequest.call(this, 'POST', '/v1/webhooks', {
					url: this.getNodeWebhookUrl('default'),
					events,
					description: `n8n workflow ${this.getWorkflow().id ?? ''}: ${this.getNode().name}`,
				});
				const created = response.body as IDataObject;
				const subscription = this.getWorkflowStaticData('node') as Subscription;
				subscription.webhookId = created.id as string;
				subscription.secret = created.secret as string;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const subscription = this.getWorkflowStaticData('node') as Subscription;
				if (subscription.webhookId) {
					// 404: removed already (by hand or by an earlier deactivation); nothing left to do.
					await creditMeterRequest.call(this, 'DELETE', `/v1/webhooks/${encodeURIComponent(subscription.webhookId)}`);
				}
				delete subscription.webhookId;
				delete subscription.secret;
				delete subscription.started;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const subscription = this.getWorkflowStaticData('node') as Subscription;
		const header = (name: string) => {
			const value = request.headers[name];
			return Array.isArray(value) ? value[0] : value;
		};
		const rawBody = (request as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(request.body ?? {}));
		const valid =
			subscription.secret !== undefined &&
			verifySignature(
				{ id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature'), body: rawBody },
				subscription.secret,
				Math.floor(Date.now() / 1000),
			);
		if (!valid) {
			const response = this.getResponseObject();
			response.status(401).json({ error: 'invalid or missing webhook signature' });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData() as IDataObject;
		const events = this.getNodeParameter('events') as string[];
		if (!events.includes(body.type as string)) return { webhookResponse: 'ignored' };
		const options = this.getNodeParameter('options', {}) as { accounts?: string };
		const accounts = (options.accounts ?? '')
			.split(',')
			.map((account) => account.trim())
			.filter((account) => account !== '');
		if (accounts.length > 0 && !accounts.includes(accountOf(body) ?? '')) return { webhookResponse: 'ignored' };
		// The server sends every attempt of a message with the same webhook-id: the first one that
		// reaches this trigger starts the workflow, a redelivery (a lost answer, a retry) does not.
		const id = header('webhook-id');
		if (id) {
			const key = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
			if (alreadyStarted(key, subscription, id)) return { webhookResponse: 'duplicate' };
			rememberStarted(key, subscription, id);
		}
		return {
			workflowData: [this.helpers.returnJsonArray({ id: id ?? null, ...body })],
		};
	}
}

/** Calls the server's webhook API; answers 404 as a status for the caller, other failures as errors. */
async function creditMeterRequest(
	this: IHookFunctions,
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	body?: IDataObject,
): Promise<{ statusCode: number; body: unknown }> {
	const credentials = await this.getCredentials<{ baseUrl: string }>('creditMeterApi');
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'creditMeterApi', {
		method,
		url: `${credentials.baseUrl.replace(/\/+$/, '')}${path}`,
		...(body ? { body, json: true } : { json: true }),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	if (response.statusCode >= 400 && response.statusCode !== 404) {
		throw serverError(this.getNode(), response.body, response.statusCode);
	}
	return response;
}
