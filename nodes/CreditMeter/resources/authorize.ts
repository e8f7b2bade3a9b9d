import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, eventTypeField, route } from '../shared/descriptions';
import { parseJsonInto } from '../shared/transport';
import { ESTIMATE_INPUT, estimateFields } from '../shared/estimate';

const show = { resource: ['authorization'], operation: ['check'] };

export const authorizationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['authorization'] } },
	options: [
		{
			name: 'Check',
			value: 'check',
			action: 'Check whether the account can start usage',
			description:
				'Check whether the account can start a call (or chat, SMS) now: allowed, the reason if not, the estimated cost, and for a call the longest it may last (maxDurationSeconds; null when nothing limits it)',
			routing: route('POST', accountPath('/authorize'), {
				preSend: [parseJsonInto('data', 'usageData', { parameter: ESTIMATE_INPUT, is: 'fields' })],
			}),
		},
	],
	default: 'check',
};

export const authorizationFields: INodeProperties[] = [
	...accountIdField(show),
	eventTypeField('What kind of usage is about to start', show, 'type'),
	...estimateFields(show, 'data'),
	{
		displayName: 'Expected Usage (JSON)',
		name: 'usageData',
		type: 'json',
		default: '{}',
		description:
			'What is expected, in the event\'s fields, e.g. {"duration_seconds": 300}; a call without token counts is estimated at the catalog\'s typical tokens per minute; an empty object asks whether anything may start',
		displayOptions: { show: { ...show, [ESTIMATE_INPUT]: ['json'] } },
	},
];
