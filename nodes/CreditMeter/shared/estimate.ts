import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';
import { fromVersion } from './descriptions';
import { eventTypeFields, segmentsField } from './eventFields';

/**
 * The usage an operation expects (Authorization → Check, Reservation → Create and Extend) given as
 * the event's own typed fields, as Record Event takes them, or as JSON. Version 1 took JSON only,
 * and keeps it; from version 2 the fields come first. The fields are sent under `property` (`data`
 * or `estimate`); a JSON parameter is parsed in its place only when JSON is chosen.
 */
export const ESTIMATE_INPUT = 'estimateInput';

export function estimateFields(
	show: { resource: string[]; operation: string[] },
	property: string,
	/** Parameters that depend on the choice of fields, placed after it (n8n resolves them in order). */
	afterChoice: INodeProperties[] = [],
): INodeProperties[] {
	const inFields = { ...show, [ESTIMATE_INPUT]: ['fields'] };
	const when = (...type: string[]) => ({ show: { ...inFields, type } });
	const send = (field: string) => ({ send: { type: 'body' as const, property: `${property}.${field}` } });
	const count = (name: string, displayName: string, field: string, description: string): INodeProperties => ({
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description,
		routing: send(field),
	});
	const mode = (defaultMode: 'json' | 'fields', versions: IDisplayOptions['show'] & object): INodeProperties => ({
		displayName: 'Expected Usage',
		name: ESTIMATE_INPUT,
		type: 'options',
		options: [
			{ name: 'Fields', value: 'fields', description: "The usage in the event type's own fields" },
			{ name: 'JSON', value: 'json', description: "The usage as the API's JSON, in the event's field names" },
		],
		default: defaultMode,
		displayOptions: { show: { ...show, ...versions } },
	});
	return [
		mode('json', { '@version': [1] }),
		mode('fields', fromVersion(2)),
		...afterChoice,
		...eventTypeFields({ showFor: (...type) => ({ ...inFields, type }), property, tense: 'expected' }),
		// What only some estimates know: left out, the server assumes the catalog's typical values.
		{
			displayName: 'Additional Fields',
			name: 'estimateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: when('call'),
			options: [
				{
					displayName: 'Destination Country',
					name: 'destinationCountry',
					type: 'string',
					default: '',
					placeholder: 'DE',
					description: 'ISO 3166 code of the country to be called; some carry a surcharge',
					routing: send('destination_country'),
				},
				count('inputTokens', 'Input Tokens', 'input_tokens', "Tokens the voice AI is expected to read; left out, the catalog's typical tokens per minute"),
				count('outputTokens', 'Output Tokens', 'output_tokens', "Tokens the voice AI is expected to write; left out, the catalog's typical tokens per minute"),
			],
		},
		{
			displayName: 'Additional Fields',
			name: 'estimateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: when('sms'),
			options: [segmentsField(send)],
		},
		{
			displayName: 'Additional Fields',
			name: 'estimateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: when('whatsapp'),
			options: [
				count('inputTokens', 'Input Tokens', 'input_tokens', 'Tokens the WhatsApp AI is expected to read'),
				count('outputTokens', 'Output Tokens', 'output_tokens', 'Tokens the WhatsApp AI is expected to write'),
			],
		},
	];
}
