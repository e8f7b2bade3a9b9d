import type { INodeProperties } from 'n8n-workflow';
import { accountIdField, accountPath, eventTypeField, route } from '../shared/descriptions';
import { parseJsonInto } from '../shared/transport';
import { ESTIMATE_INPUT, estimateFields } from '../shared/estimate';

/** The estimate as JSON, unless it was given as fields. */
const estimateJson = parseJsonInto('estimate', 'estimate', { parameter: ESTIMATE_INPUT, is: 'fields' });

const show = (...operation: string[]) => ({ resource: ['reservation'], operation });
const reservationPath = (rest = '') =>
	accountPath(`/reservations/{{encodeURIComponent($parameter.reservationId)}}${rest}`);

export const reservationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['reservation'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Reserve credit for a call',
			description:
				'Hold the cost of expected usage (e.g. five minutes of a call); refused when balance minus holds cannot cover it',
			routing: route('POST', accountPath('/reservations'), { preSend: [estimateJson] }),
		},
		{
			name: 'Extend',
			value: 'extend',
			action: 'Extend a reservation',
			description: 'Hold more for a call that goes on, and move the expiry',
			routing: route('POST', reservationPath('/extend'), { preSend: [estimateJson] }),
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a reservation',
			description: 'Get what a reservation holds, its status and the event that settled it',
			routing: route('GET', reservationPath()),
		},
		{
			name: 'Release',
			value: 'release',
			action: 'Release a reservation',
			description: 'Give back what a reservation holds (the call never happened)',
			routing: route('DELETE', reservationPath()),
		},
	],
	default: 'create',
};


export const reservationFields: INodeProperties[] = [
	...accountIdField(show('create', 'extend', 'get', 'release')),
	{
		displayName: 'Reservation ID',
		name: 'reservationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'res_01J...',
		displayOptions: { show: show('extend', 'get', 'release') },
	},
	eventTypeField('What kind of usage the reservation is for', show('create'), 'type'),
	...estimateFields(show('create', 'extend'), 'estimate', [
		// Extending sends no type (the reservation has one): it only picks the fields to show.
		eventTypeField('What kind of usage the reservation is for', { ...show('extend'), [ESTIMATE_INPUT]: ['fields'] }),
	]),
	{
		displayName: 'Estimate (JSON)',
		name: 'estimate',
		type: 'json',
		required: true,
		default: '{"duration_seconds": 300}',
		description: 'The usage expected, in the event\'s fields, e.g. {"duration_seconds": 300}',
		displayOptions: { show: { ...show('create', 'extend'), [ESTIMATE_INPUT]: ['json'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: show('create', 'extend') },
		options: [
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				default: '',
				description: 'Your ID of the call; the same reference again returns the first reservation (create only)',
				routing: { send: { type: 'body', property: 'reference' } },
			},
			{
				displayName: 'TTL (Seconds)',
				name: 'ttlSeconds',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 86400 },
				default: 600,
				description: 'How long the hold lasts unless settled or extended',
				routing: { send: { type: 'body', property: 'ttlSeconds' } },
			},
		],
	},
];
