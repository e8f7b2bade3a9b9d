import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';
import { DIRECTION_OPTIONS, FEATURE_OPTIONS } from './descriptions';

/**
 * The fields each event type requires, as Record Event takes them for usage that happened and
 * Authorization → Check and Reservation → Create take them for usage expected: one definition, so
 * that an event type's fields read the same in every operation.
 */
export function eventTypeFields(options: {
	/** Where the fields are shown for the given event types. */
	showFor: (...types: string[]) => IDisplayOptions['show'] & object;
	/** The body property the fields are sent under: `data` or `estimate`. */
	property: string;
	tense: 'happened' | 'expected';
}): INodeProperties[] {
	const { showFor, property, tense } = options;
	const expected = tense === 'expected';
	// A call's expected length, for a check before it starts; a recorded call gives its own.
	const durationDefault = expected ? 300 : 0;
	const send = (field: string) => ({ send: { type: 'body' as const, property: `${property}.${field}` } });
	const tokens = (name: string, displayName: string, field: string, description: string): INodeProperties => ({
		displayName,
		name,
		type: 'number',
		required: true,
		typeOptions: { minValue: 0 },
		default: 0,
		description,
		displayOptions: { show: showFor('chat') },
		routing: send(field),
	});
	return [
		{
			displayName: 'Duration (Seconds)',
			name: 'durationSeconds',
			type: 'number',
			required: true,
			typeOptions: { minValue: 0 },
			default: durationDefault,
			description: expected ? 'How long the call is expected to last' : 'How long the call lasted',
			displayOptions: { show: showFor('call') },
			routing: send('duration_seconds'),
		},
		tokens('inputTokens', 'Input Tokens', 'input_tokens', expected ? 'Tokens the chat AI is expected to read' : 'Tokens the chat AI read'),
		tokens('outputTokens', 'Output Tokens', 'output_tokens', expected ? 'Tokens the chat AI is expected to write' : 'Tokens the chat AI wrote'),
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			options: DIRECTION_OPTIONS,
			default: 'outbound',
			displayOptions: { show: showFor('sms', 'whatsapp') },
			routing: send('direction'),
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			default: '',
			description: `The message${expected ? ' to send' : ''}; its SMS segments are counted by the server. Or give Segments instead.`,
			displayOptions: { show: showFor('sms') },
			routing: { send: { type: 'body', property: `${property}.text`, value: '={{ $value === "" ? undefined : $value }}' } },
		},
		{
			displayName: 'Contact',
			name: 'contact',
			type: 'string',
			required: true,
			default: '',
			placeholder: '+491701234567',
			description: 'Who the WhatsApp message is with; replies within 24 hours of their message are cheaper',
			displayOptions: { show: showFor('whatsapp') },
			routing: send('contact'),
		},
		{
			displayName: 'Conversation',
			name: 'conversation',
			type: 'string',
			required: true,
			default: '',
			description: `The conversation the AI ${expected ? 'will work' : 'worked'} on; each is charged once per cycle`,
			displayOptions: { show: showFor('ai_conversation') },
			routing: send('conversation'),
		},
		{
			displayName: 'Feature',
			name: 'feature',
			type: 'options',
			options: FEATURE_OPTIONS,
			default: 'autopilot',
			displayOptions: { show: showFor('ai_conversation') },
			routing: send('feature'),
		},
	];
}

/** The number of SMS segments, for when the text is not given. */
export function segmentsField(send: (field: string) => NonNullable<INodeProperties['routing']>): INodeProperties {
	return {
		displayName: 'Segments',
		name: 'segments',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'The number of SMS segments, when the text is not given',
		routing: send('segments'),
	};
}
